-- A check's countdown (`store::sessions`): when the time its facilitator gave it runs out, if
-- one was given. The facilitator still closes the check; the projector counts down to this.
ALTER TABLE session_checks ADD COLUMN ends_at BIGINT;
