-- The validators of each vendor's last complete poll (first page), for conditional polling: the next
-- poll sends If-None-Match / If-Modified-Since and a 304 ends it. Shared by the cluster like the triggers.
-- (V10 is left to the read-path migration being written beside this one.)
ALTER TABLE vendor_status ADD COLUMN etag text, ADD COLUMN last_modified text;
