-- The receiver answered 2xx: nothing more to send.
DELETE FROM webhook_outbox WHERE id = :id
