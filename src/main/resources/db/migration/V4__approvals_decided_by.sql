-- Who decided each call, for the approvals audit: {"via": "http" | "websocket" | "cancel" | "remembered",
-- "client": the client's IP address, "user": the name the person gave}, members left out when not known. Rows
-- decided before this version have none: who decided them is not known.
ALTER TABLE pending_approvals ADD COLUMN decided_by jsonb;
ALTER TABLE approvals_audit ADD COLUMN decided_by jsonb;
