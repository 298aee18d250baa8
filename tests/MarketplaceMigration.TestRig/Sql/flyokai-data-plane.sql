-- A Flyokai-like data plane: the 22 documented flyokai_* tables. The real column lists are not
-- published (reference/flyokai.md §2); this is a reasoned guess in the shape the framework's
-- declarative schema produces: BINARY(16) ids, DECIMAL(12,4) money, JSON arrays, DATETIME,
-- composite keys, foreign keys (one self-referencing) and one AUTO_INCREMENT outbox.
CREATE TABLE flyokai_seller_group (
  id BINARY(16) NOT NULL,
  name VARCHAR(255) NOT NULL,
  commission_percent DECIMAL(12,4) NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_seller_group_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_seller (
  id BINARY(16) NOT NULL,
  user_id BINARY(16) NOT NULL,
  group_id BINARY(16) NULL,
  status VARCHAR(64) NOT NULL DEFAULT 'active',
  commission_percent DECIMAL(12,4) NULL,
  slug VARCHAR(255) NOT NULL,
  contact JSON NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_seller_user (user_id),
  UNIQUE KEY uniq_seller_slug (slug),
  KEY idx_seller_status (status),
  CONSTRAINT fk_seller_group FOREIGN KEY (group_id) REFERENCES flyokai_seller_group (id) ON DELETE SET NULL ON UPDATE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_seller_address (
  id BINARY(16) NOT NULL,
  seller_id BINARY(16) NOT NULL,
  type VARCHAR(64) NOT NULL,
  company VARCHAR(255) NULL,
  street VARCHAR(255) NOT NULL,
  zipcode VARCHAR(32) NOT NULL,
  city VARCHAR(255) NOT NULL,
  country_iso CHAR(2) NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY idx_seller_address_seller (seller_id, type),
  CONSTRAINT fk_seller_address_seller FOREIGN KEY (seller_id) REFERENCES flyokai_seller (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_seller_branding (
  seller_id BINARY(16) NOT NULL,
  store_name VARCHAR(255) NOT NULL,
  logo_media_id BINARY(16) NULL,
  banner_media_id BINARY(16) NULL,
  description LONGTEXT NULL,
  theme JSON NULL,
  updated_at DATETIME NULL,
  PRIMARY KEY (seller_id),
  CONSTRAINT fk_seller_branding_seller FOREIGN KEY (seller_id) REFERENCES flyokai_seller (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_seller_payout_config (
  seller_id BINARY(16) NOT NULL,
  account_holder VARCHAR(255) NOT NULL,
  iban VARCHAR(34) NOT NULL,
  swift VARCHAR(11) NULL,
  updated_at DATETIME NULL,
  PRIMARY KEY (seller_id),
  CONSTRAINT fk_seller_payout_config_seller FOREIGN KEY (seller_id) REFERENCES flyokai_seller (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_seller_stock_source (
  id BINARY(16) NOT NULL,
  seller_id BINARY(16) NOT NULL,
  name VARCHAR(255) NOT NULL,
  address JSON NULL,
  is_default TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY idx_stock_source_seller (seller_id),
  CONSTRAINT fk_stock_source_seller FOREIGN KEY (seller_id) REFERENCES flyokai_seller (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_shipping_service (
  id BINARY(16) NOT NULL,
  code VARCHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  sort_order SMALLINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_shipping_service_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_shipping_profile (
  id BINARY(16) NOT NULL,
  seller_id BINARY(16) NOT NULL,
  name VARCHAR(255) NOT NULL,
  is_default TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY idx_shipping_profile_seller (seller_id),
  CONSTRAINT fk_shipping_profile_seller FOREIGN KEY (seller_id) REFERENCES flyokai_seller (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_shipping_profile_service (
  id BINARY(16) NOT NULL,
  profile_id BINARY(16) NOT NULL,
  service_id BINARY(16) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_profile_service (profile_id, service_id),
  KEY idx_profile_service_service (service_id),
  CONSTRAINT fk_profile_service_profile FOREIGN KEY (profile_id) REFERENCES flyokai_shipping_profile (id) ON DELETE CASCADE,
  CONSTRAINT fk_profile_service_service FOREIGN KEY (service_id) REFERENCES flyokai_shipping_service (id) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_shipping_profile_service_carrier (
  id BINARY(16) NOT NULL,
  profile_service_id BINARY(16) NOT NULL,
  shipping_method_id BINARY(16) NOT NULL,
  price DECIMAL(12,4) NOT NULL,
  currency_iso CHAR(3) NOT NULL DEFAULT 'EUR',
  PRIMARY KEY (id),
  KEY idx_carrier_profile_service (profile_service_id),
  CONSTRAINT fk_carrier_profile_service FOREIGN KEY (profile_service_id) REFERENCES flyokai_shipping_profile_service (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_seller_offer (
  id BINARY(16) NOT NULL,
  seller_id BINARY(16) NOT NULL,
  product_id BINARY(16) NOT NULL,
  product_version_id BINARY(16) NOT NULL,
  status VARCHAR(64) NOT NULL DEFAULT 'draft',
  price DECIMAL(12,4) NOT NULL,
  stock INT NOT NULL DEFAULT 0,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_offer_seller_product (seller_id, product_id, product_version_id),
  KEY idx_offer_product_status (product_id, status),
  CONSTRAINT fk_offer_seller FOREIGN KEY (seller_id) REFERENCES flyokai_seller (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_seller_offer_price (
  id BINARY(16) NOT NULL,
  offer_id BINARY(16) NOT NULL,
  quantity_start INT UNSIGNED NOT NULL DEFAULT 1,
  quantity_end INT UNSIGNED NULL,
  price DECIMAL(12,4) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_offer_price_start (offer_id, quantity_start),
  CONSTRAINT fk_offer_price_offer FOREIGN KEY (offer_id) REFERENCES flyokai_seller_offer (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_seller_offer_stock (
  offer_id BINARY(16) NOT NULL,
  stock_source_id BINARY(16) NOT NULL,
  quantity INT NOT NULL DEFAULT 0,
  updated_at DATETIME NULL,
  PRIMARY KEY (offer_id, stock_source_id),
  KEY idx_offer_stock_source (stock_source_id),
  CONSTRAINT fk_offer_stock_offer FOREIGN KEY (offer_id) REFERENCES flyokai_seller_offer (id) ON DELETE CASCADE,
  CONSTRAINT fk_offer_stock_source FOREIGN KEY (stock_source_id) REFERENCES flyokai_seller_stock_source (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_statement (
  id BINARY(16) NOT NULL,
  seller_id BINARY(16) NOT NULL,
  period_from DATE NOT NULL,
  period_to DATE NOT NULL,
  total_sales DECIMAL(12,4) NOT NULL DEFAULT 0.0000,
  total_commission DECIMAL(12,4) NOT NULL DEFAULT 0.0000,
  payout_amount DECIMAL(12,4) NOT NULL DEFAULT 0.0000,
  status VARCHAR(64) NOT NULL DEFAULT 'open',
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_statement_period (seller_id, period_from, period_to),
  CONSTRAINT fk_statement_seller FOREIGN KEY (seller_id) REFERENCES flyokai_seller (id) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_payout (
  id BINARY(16) NOT NULL,
  statement_id BINARY(16) NOT NULL,
  seller_id BINARY(16) NOT NULL,
  amount DECIMAL(12,4) NOT NULL,
  status VARCHAR(64) NOT NULL DEFAULT 'pending',
  bank_snapshot JSON NULL,
  executed_at DATETIME NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_payout_statement (statement_id),
  KEY idx_payout_seller (seller_id),
  CONSTRAINT fk_payout_statement FOREIGN KEY (statement_id) REFERENCES flyokai_statement (id) ON DELETE RESTRICT,
  CONSTRAINT fk_payout_seller FOREIGN KEY (seller_id) REFERENCES flyokai_seller (id) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_purchase_order (
  id BINARY(16) NOT NULL,
  seller_id BINARY(16) NOT NULL,
  order_id BINARY(16) NOT NULL,
  order_version_id BINARY(16) NOT NULL,
  order_number VARCHAR(64) NOT NULL,
  status VARCHAR(64) NOT NULL DEFAULT 'pending',
  total_net DECIMAL(12,4) NOT NULL,
  total_gross DECIMAL(12,4) NOT NULL,
  commission_amount DECIMAL(12,4) NOT NULL DEFAULT 0.0000,
  payout_id BINARY(16) NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_po_order_seller (order_id, seller_id),
  KEY idx_po_seller_status (seller_id, status),
  KEY idx_po_payout (payout_id),
  CONSTRAINT fk_po_seller FOREIGN KEY (seller_id) REFERENCES flyokai_seller (id) ON DELETE RESTRICT,
  CONSTRAINT fk_po_payout FOREIGN KEY (payout_id) REFERENCES flyokai_payout (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_purchase_order_line (
  id BINARY(16) NOT NULL,
  purchase_order_id BINARY(16) NOT NULL,
  offer_id BINARY(16) NULL,
  label VARCHAR(255) NOT NULL,
  quantity INT NOT NULL,
  unit_price DECIMAL(12,4) NOT NULL,
  commission_percent DECIMAL(12,4) NOT NULL,
  payload JSON NULL,
  PRIMARY KEY (id),
  KEY idx_po_line_po (purchase_order_id),
  KEY idx_po_line_offer (offer_id),
  CONSTRAINT fk_po_line_po FOREIGN KEY (purchase_order_id) REFERENCES flyokai_purchase_order (id) ON DELETE CASCADE,
  CONSTRAINT fk_po_line_offer FOREIGN KEY (offer_id) REFERENCES flyokai_seller_offer (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_statement_line (
  id BINARY(16) NOT NULL,
  statement_id BINARY(16) NOT NULL,
  purchase_order_id BINARY(16) NOT NULL,
  amount DECIMAL(12,4) NOT NULL,
  commission DECIMAL(12,4) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_statement_line_po (statement_id, purchase_order_id),
  KEY idx_statement_line_po (purchase_order_id),
  CONSTRAINT fk_statement_line_statement FOREIGN KEY (statement_id) REFERENCES flyokai_statement (id) ON DELETE CASCADE,
  CONSTRAINT fk_statement_line_po FOREIGN KEY (purchase_order_id) REFERENCES flyokai_purchase_order (id) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_chain (
  id BINARY(16) NOT NULL,
  sender_user_id BINARY(16) NOT NULL,
  recipient_user_id BINARY(16) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NULL,
  PRIMARY KEY (id),
  KEY idx_chain_recipient (recipient_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_mail (
  id BINARY(16) NOT NULL,
  chain_id BINARY(16) NOT NULL,
  reply_to_id BINARY(16) NULL,
  sender_user_id BINARY(16) NOT NULL,
  body LONGTEXT NOT NULL,
  attachments JSON NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_mail_chain (chain_id, created_at),
  KEY idx_mail_reply_to (reply_to_id),
  CONSTRAINT fk_mail_chain FOREIGN KEY (chain_id) REFERENCES flyokai_chain (id) ON DELETE CASCADE,
  CONSTRAINT fk_mail_reply_to FOREIGN KEY (reply_to_id) REFERENCES flyokai_mail (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_mail_recipient (
  mail_id BINARY(16) NOT NULL,
  recipient_user_id BINARY(16) NOT NULL,
  unread TINYINT(1) NOT NULL DEFAULT 1,
  read_at DATETIME NULL,
  PRIMARY KEY (mail_id, recipient_user_id),
  KEY idx_mail_recipient_user (recipient_user_id, unread),
  CONSTRAINT fk_mail_recipient_mail FOREIGN KEY (mail_id) REFERENCES flyokai_mail (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_mail_pending_send (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  mail_id BINARY(16) NOT NULL,
  attempts SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY idx_pending_send_mail (mail_id),
  CONSTRAINT fk_pending_send_mail FOREIGN KEY (mail_id) REFERENCES flyokai_mail (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
