-- The schema behind the captured information_schema snapshots (mariadb-10.11.json from a real
-- MariaDB 10.11 server, mysql-8.4.json written from MySQL 8.4's documented spellings).
CREATE TABLE flyokai_capture_parent (
  id BINARY(16) NOT NULL,
  code VARCHAR(64) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uniq_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE flyokai_capture (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  parent_id BINARY(16) NULL,
  amount DECIMAL(12,4) NOT NULL DEFAULT 0.0000,
  status VARCHAR(64) NOT NULL DEFAULT 'it''s',
  note VARCHAR(255) NULL,
  payload JSON NULL,
  flag TINYINT(1) NOT NULL DEFAULT 0,
  kind ENUM('a','b') NOT NULL DEFAULT 'a',
  bits BIT(3) NOT NULL DEFAULT b'101',
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at TIMESTAMP NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP,
  total INT AS (flag * 2) VIRTUAL,
  label VARCHAR(80) AS (concat(status, 'x')) STORED,
  ratio DOUBLE NULL,
  PRIMARY KEY (id),
  KEY idx_prefix (note(10), amount DESC),
  CONSTRAINT fk_capture_parent FOREIGN KEY (parent_id) REFERENCES flyokai_capture_parent (id) ON DELETE CASCADE,
  CONSTRAINT chk_amount CHECK (amount >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
