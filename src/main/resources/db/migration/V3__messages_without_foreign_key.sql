-- A turn appends its messages in the statement that updates its session's row. The foreign key checked each
-- message with a FOR KEY SHARE lock on the row that same statement had just updated, which cost more than the rest
-- of the turn's write: with it dropped, PostgreSQL alone ran the two statements of a turn 55 % faster on 2 cores
-- (pgbench, 4,600 against 7,200 turns/s; see BENCHMARKS.md). miu keeps the rows together itself: a message is only
-- inserted by a statement or transaction that writes its session's row, and a session is deleted together with its
-- messages, under its row lock. pending_approvals and approvals_audit, written rarely, keep theirs.
ALTER TABLE messages DROP CONSTRAINT messages_session_id_fkey;

-- Renewals find a server's leases by its id; the table holds only the live leases (a turn deletes its own at its
-- end), so scanning it is cheaper than keeping this index up to date at every turn.
DROP INDEX turn_leases_instance;
