-- What the vendor's last complete poll answered with, for the next poll's conditional request.
SELECT etag, last_modified FROM vendor_status WHERE vendor = :vendor
