-- Corrections: a turn the trainee said was read wrong is played again as
-- they meant it and replaces the stored turn; acts then holds the acts
-- meant and played, override what the classifier read, who corrected it
-- and when.

ALTER TABLE turns ADD COLUMN override text; -- the sim.Override's JSON; NULL: as read
