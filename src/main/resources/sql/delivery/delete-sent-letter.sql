-- The letter the broker confirmed, by its id (the delivery that failed the order kept it in its transaction).
DELETE FROM dead_letter_outbox WHERE letter_id = :letterId
