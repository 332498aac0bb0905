-- Rows whose message the broker has confirmed leave the outbox: it holds only what is still to be sent,
-- so it stays small, and PostgreSQL deletes one row instead of writing a new version with two index
-- entries. (Replaying a FAILED order builds its message from the order row.)
DELETE FROM outbox WHERE id IN (:ids)
