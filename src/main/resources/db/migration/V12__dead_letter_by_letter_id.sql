-- The delivery that failed an order deletes its kept letter by the letter's id once the broker confirmed
-- it: an index, so that delete stays a lookup while many orders fail at once.
CREATE INDEX dead_letter_outbox_letter_id ON dead_letter_outbox (letter_id);
