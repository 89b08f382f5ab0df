// The migrations are embedded in the binary (`sqlx::migrate!`): a new or changed one rebuilds.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=migrations-postgres");
}
