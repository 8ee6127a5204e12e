-- Which server runs a turn on a session right now (sessions.store: postgres with several servers). A server takes
-- the row when a turn begins, renews expires_at while the turn runs or waits for approval, and deletes it when the
-- turn ends; a row whose server died expires, and the session is usable again.

CREATE TABLE turn_leases (
    session_id    uuid        PRIMARY KEY,     -- no foreign key: a session may be deleted while its turn runs
    instance_id   uuid        NOT NULL,        -- the server's random id, new at each start
    instance_name text        NOT NULL,        -- host, port and process id, for people
    acquired_at   timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);

CREATE INDEX turn_leases_instance ON turn_leases (instance_id);
