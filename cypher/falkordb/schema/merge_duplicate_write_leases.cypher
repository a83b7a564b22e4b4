// Leave one lease node per lease id, before init_schema makes the id unique: a store made before
// the WriteLease label existed ahead of any writer may hold two nodes of one lease (two first
// MERGEs at once, see write_lease_index), and every acquire then answered two rows. Keeps the
// node whose holder's time runs out last; a writer that held another one fails its load with
// WriteLeaseLost ("run it again"), as for any lost lease.
// mode: write
// returns: one row {removed: int}
MATCH (l:WriteLease)
WITH l ORDER BY coalesce(l.until, 0) DESC
WITH l.id AS id, collect(l) AS leases
UNWIND leases[1..] AS extra
DELETE extra
RETURN count(extra) AS removed
