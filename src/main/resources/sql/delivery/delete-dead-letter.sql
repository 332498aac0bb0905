DELETE FROM dead_letter_outbox WHERE id IN (:ids)
