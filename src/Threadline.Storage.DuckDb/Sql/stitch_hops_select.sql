SELECT from_hi, from_lo, from_span, to_hi, to_lo, to_span, kind, service, resource, via, both_arrived_unix_nano, linked_at_unix_nano FROM stitch_hops
