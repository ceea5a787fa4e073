-- Instants are epoch milliseconds (UTC) in BIGINT columns: exact and the same on every database.
-- ${id}, ${text}, ${double} and ${tableOptions} are filled in per database by the server.
-- On MariaDB/MySQL the table options pin utf8mb4 with binary comparison, whatever the database's
-- defaults: log lines keep any Unicode text, and names and ids compare case-sensitively as on
-- H2 and PostgreSQL.

CREATE TABLE servers (
    id           VARCHAR(64)  NOT NULL PRIMARY KEY,
    version      VARCHAR(32)  NOT NULL,
    started_at   BIGINT       NOT NULL,
    heartbeat_at BIGINT       NOT NULL
) ${tableOptions};

CREATE TABLE server_endpoints (
    server_id VARCHAR(64)  NOT NULL,
    protocol  VARCHAR(16)  NOT NULL,
    host      VARCHAR(255) NOT NULL,
    port      INT          NOT NULL,
    PRIMARY KEY (server_id, protocol)
) ${tableOptions};

CREATE TABLE apps (
    id          ${id},
    name        VARCHAR(64)   NOT NULL,
    description VARCHAR(1000),
    secret_hash VARCHAR(128)  NOT NULL,
    created_at  BIGINT        NOT NULL,
    CONSTRAINT apps_name UNIQUE (name)
) ${tableOptions};

-- Decision 2: one lease per (app, partition); partition 0 is the whole app today.
CREATE TABLE app_leases (
    app_id     BIGINT      NOT NULL,
    part       INT         NOT NULL,
    owner_id   VARCHAR(64),
    epoch      BIGINT      NOT NULL,
    expires_at BIGINT      NOT NULL,
    PRIMARY KEY (app_id, part)
) ${tableOptions};

CREATE TABLE jobs (
    id                 ${id},
    app_id             BIGINT        NOT NULL,
    name               VARCHAR(128)  NOT NULL,
    description        VARCHAR(1000),
    enabled            BOOLEAN       NOT NULL,
    processor          VARCHAR(255)  NOT NULL,
    params             ${text},
    schedule_type      VARCHAR(16)   NOT NULL,
    cron               VARCHAR(255),
    time_zone          VARCHAR(64),
    every_ms           BIGINT,
    at_ms              BIGINT,
    start_at           BIGINT,
    end_at             BIGINT,
    misfire_policy     VARCHAR(16)   NOT NULL,
    misfire_bound      INT           NOT NULL,
    mode               VARCHAR(16)   NOT NULL,
    max_concurrent     INT           NOT NULL,
    overlap            VARCHAR(16)   NOT NULL,
    max_retries        INT           NOT NULL,
    backoff            VARCHAR(16)   NOT NULL,
    retry_delay_ms     BIGINT        NOT NULL,
    retry_max_delay_ms BIGINT        NOT NULL,
    timeout_ms         BIGINT        NOT NULL,
    next_fire_at       BIGINT,
    created_at         BIGINT        NOT NULL,
    updated_at         BIGINT        NOT NULL,
    CONSTRAINT jobs_name UNIQUE (app_id, name)
) ${tableOptions};
CREATE INDEX jobs_due ON jobs (app_id, next_fire_at);

-- Decision 10: (job_id, scheduled_at) is unique, so a tick can be recorded once only.
-- API-triggered instances have no scheduled_at (NULLs do not collide).
CREATE TABLE instances (
    id              ${id},
    app_id          BIGINT        NOT NULL,
    job_id          BIGINT        NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    trigger_kind    VARCHAR(16)   NOT NULL,
    scheduled_at    BIGINT,
    params          ${text},
    attempt         INT           NOT NULL,
    max_attempts    INT           NOT NULL,
    worker_id       VARCHAR(128),
    result          VARCHAR(4000),
    reason          VARCHAR(1000),
    owner_id        VARCHAR(64),
    epoch           BIGINT        NOT NULL,
    retry_of        BIGINT,
    created_at      BIGINT        NOT NULL,
    started_at      BIGINT,
    finished_at     BIGINT,
    next_attempt_at BIGINT,
    updated_at      BIGINT        NOT NULL,
    CONSTRAINT instances_tick UNIQUE (job_id, scheduled_at)
) ${tableOptions};
CREATE INDEX instances_live ON instances (app_id, state);
CREATE INDEX instances_job ON instances (job_id, id);

-- Decision 6: a task attempt is (instance, task_key, attempt); every dispatch names it.
CREATE TABLE tasks (
    id              ${id},
    instance_id     BIGINT        NOT NULL,
    app_id          BIGINT        NOT NULL,
    task_key        VARCHAR(255)  NOT NULL,
    attempt         INT           NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    worker_id       VARCHAR(128),
    result          VARCHAR(4000),
    last_report_seq BIGINT        NOT NULL,
    epoch           BIGINT        NOT NULL,
    dispatched_at   BIGINT,
    started_at      BIGINT,
    finished_at     BIGINT,
    CONSTRAINT tasks_attempt UNIQUE (instance_id, task_key, attempt)
) ${tableOptions};
CREATE INDEX tasks_worker ON tasks (worker_id, state);

CREATE TABLE log_lines (
    task_id     BIGINT       NOT NULL,
    attempt     INT          NOT NULL,
    seq         BIGINT       NOT NULL,
    instance_id BIGINT       NOT NULL,
    logged_at   BIGINT       NOT NULL,
    log_level   VARCHAR(8)   NOT NULL,
    line        ${text}      NOT NULL,
    PRIMARY KEY (task_id, attempt, seq)
) ${tableOptions};
CREATE INDEX log_lines_instance ON log_lines (instance_id, attempt, task_id, seq);

CREATE TABLE workers (
    app_id        BIGINT        NOT NULL,
    id            VARCHAR(128)  NOT NULL,
    host          VARCHAR(255),
    address       VARCHAR(255),
    version       VARCHAR(32),
    processors    VARCHAR(2000),
    state         VARCHAR(16)   NOT NULL,
    server_id     VARCHAR(64),
    connected_at  BIGINT,
    heartbeat_at  BIGINT,
    cpu_load      ${double},
    cpu_count     INT,
    memory_used   BIGINT,
    memory_max    BIGINT,
    running_tasks INT,
    max_tasks     INT,
    PRIMARY KEY (app_id, id)
) ${tableOptions};

CREATE TABLE users (
    id            ${id},
    name          VARCHAR(64)   NOT NULL,
    password_hash VARCHAR(255)  NOT NULL,
    role          VARCHAR(16)   NOT NULL,
    created_at    BIGINT        NOT NULL,
    CONSTRAINT users_name UNIQUE (name)
) ${tableOptions};

CREATE TABLE api_tokens (
    id           ${id},
    user_id      BIGINT        NOT NULL,
    name         VARCHAR(128)  NOT NULL,
    token_hash   VARCHAR(128)  NOT NULL,
    created_at   BIGINT        NOT NULL,
    last_used_at BIGINT,
    CONSTRAINT api_tokens_hash UNIQUE (token_hash)
) ${tableOptions};

-- Values every server of a cluster shares, such as the secret servers call each other with.
CREATE TABLE cluster_settings (
    setting_name  VARCHAR(64)  NOT NULL PRIMARY KEY,
    setting_value VARCHAR(255) NOT NULL
)${tableOptions};
