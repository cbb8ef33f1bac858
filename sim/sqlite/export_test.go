package sqlite

// Commits is how many transactions db's writer has committed.
func Commits(db *DB) int64 { return db.w.commits.Load() }
