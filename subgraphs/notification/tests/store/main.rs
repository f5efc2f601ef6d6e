//! The notification tables on a real database (SQLite, or PostgreSQL with
//! `TEST_DATABASE_URL`).

mod templates;
