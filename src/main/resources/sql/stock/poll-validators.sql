-- What the vendor's last complete poll answered with, for the next poll's conditional request: only when it
-- was answered for the same URL, credentials and reading (a repointed vendor file must not send vendor A's
-- ETag to vendor B), and only for a catalogue of one page (a page's ETag says nothing about the pages after it).
SELECT etag, last_modified FROM vendor_status WHERE vendor = :vendor AND validator_key = :validatorKey AND last_pages = 1
