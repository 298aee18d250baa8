-- The parts of a Shopware 6 database the module reads: system_config (core migration 1536233270)
-- and the identity-plane table that always stays in Shopware.
CREATE TABLE system_config (
  id BINARY(16) NOT NULL,
  configuration_key VARCHAR(255) NOT NULL,
  configuration_value JSON NOT NULL,
  sales_channel_id BINARY(16) NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY `uniq.system_config.configuration_key__sales_channel_id` (configuration_key, sales_channel_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE flyokai_user (
  id BINARY(16) NOT NULL,
  username VARCHAR(255) NOT NULL,
  email VARCHAR(255) NOT NULL,
  role VARCHAR(64) NOT NULL,
  password VARCHAR(255) NOT NULL,
  active TINYINT(1) NOT NULL DEFAULT 1,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_user_username (username),
  UNIQUE KEY uniq_user_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
