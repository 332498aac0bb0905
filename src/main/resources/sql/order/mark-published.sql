UPDATE outbox SET published_at = now() WHERE id IN (:ids) AND published_at IS NULL
