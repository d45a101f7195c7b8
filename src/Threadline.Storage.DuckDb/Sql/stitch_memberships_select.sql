SELECT entry_hi, entry_lo, entry_span, member_hi, member_lo, member_span FROM stitch_memberships
