//! `accord`: serves Accord on `ACCORD_ADDR` (default 127.0.0.1:3000) with its data in
//! `ACCORD_DATA` (default `./data`). With `ACCORD_DEMO=1` (as `./scripts/run` starts it) the first
//! start seeds a demo group, demo accounts with a published password and the sample draft;
//! without it there are none, and a start without an admin says how to create one.
//!
//! `accord create-admin --login LOGIN --name NAME` creates an installation admin (password from
//! `ACCORD_ADMIN_PASSWORD`) and exits. `accord verify-record FILE` checks a decision record
//! exported as JSON (`GET /api/v1/documents/{id}/record`) and prints its last hash. Behind a
//! TLS-terminating proxy set `ACCORD_PUBLIC_URL` (the origin people use),
//! `ACCORD_SECURE_COOKIES=1` (cookies marked Secure) and `ACCORD_TRUST_PROXY=N` (N proxies of
//! ours in front; the client address is the one the outermost appended to `X-Forwarded-For`).
//! Mail (links that confirm addresses) goes through `ACCORD_SMTP_URL` (e.g.
//! `smtps://user:password@mail.example.org`) from `ACCORD_MAIL_FROM`; without an SMTP URL it is
//! written as `.eml` files into `mail/` in the data folder.

use std::{net::SocketAddr, path::PathBuf};

use accord_core::{mail::Mailer, seed, store::Store};
use accord_server::{router, AppState};
use anyhow::Context;
use leptos::config::get_configuration;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("verify-record") {
        return verify_record(args.get(1).map(String::as_str));
    }
    let data = PathBuf::from(std::env::var("ACCORD_DATA").unwrap_or_else(|_| "data".into()));
    let mut leptos = get_configuration(None)
        .context("reading the Leptos configuration")?
        .leptos_options;
    // The static files carry their content's hash in their names when the build wrote the
    // hashes beside this binary (`scripts/build`); LEPTOS_HASH_FILES says otherwise if set.
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        leptos.hash_files = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(leptos.hash_file.as_ref())))
            .is_some_and(|manifest| manifest.exists());
    }
    let addr: SocketAddr = match std::env::var("ACCORD_ADDR") {
        Ok(a) => a
            .parse()
            .with_context(|| format!("ACCORD_ADDR '{a}' is not an address"))?,
        Err(_) => leptos.site_addr,
    };
    leptos.site_addr = addr;

    // PostgreSQL when an address is given (several processes may share it), else SQLite in the
    // data folder.
    let store = match std::env::var("ACCORD_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let connections = match std::env::var("ACCORD_DATABASE_CONNECTIONS") {
                Ok(n) => n.parse().with_context(|| {
                    format!("ACCORD_DATABASE_CONNECTIONS '{n}' is not a number")
                })?,
                Err(_) => accord_core::store::POSTGRES_CONNECTIONS,
            };
            Store::connect(&url, connections)
                .await
                .context("connecting to the database at ACCORD_DATABASE_URL")?
        }
        _ => Store::open(&data)
            .await
            .with_context(|| format!("opening the database in {}", data.display()))?,
    };
    let mut state = AppState::new(store, leptos);
    state.auth.secure_cookies = flag("ACCORD_SECURE_COOKIES");
    state.auth.trust_proxy = match std::env::var("ACCORD_TRUST_PROXY").as_deref() {
        Ok("true" | "yes") => 1,
        Ok(n) => n
            .parse()
            .with_context(|| format!("ACCORD_TRUST_PROXY '{n}' is not a number of proxies"))?,
        Err(_) => 0,
    };
    if let Ok(n) = std::env::var("ACCORD_SOCKETS_PER_ACCOUNT") {
        let n = n
            .parse()
            .with_context(|| format!("ACCORD_SOCKETS_PER_ACCOUNT '{n}' is not a number"))?;
        state.rooms.set_sockets_per_account(n);
    }
    state.auth.public_origin = std::env::var("ACCORD_PUBLIC_URL")
        .ok()
        .map(|u| u.trim_end_matches('/').to_string())
        .filter(|u| !u.is_empty());
    state.origin = state
        .auth
        .public_origin
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    state.mail = mailer(&data, &state.origin).map_err(anyhow::Error::msg)?;
    if args.first().map(String::as_str) == Some("create-admin") {
        return create_admin(&state, &args[1..]).await;
    }
    // Demo accounts (with a published password) exist only when asked for: `./scripts/run`
    // asks, a production start never has them.
    if !flag("ACCORD_DEMO") {
        if !state.rooms.store().has_admin().await? {
            tracing::warn!(
                "this installation has no admin yet: create one with \
                 ACCORD_ADMIN_PASSWORD=… accord create-admin --login LOGIN --name NAME"
            );
        }
    } else if seed::seed_if_empty(&state.rooms).await? {
        tracing::info!("seeded a demo group, demo accounts and the sample draft");
        // Demo review of the sample draft, unless asked for a blank one (the browser tests do).
        if std::env::var("ACCORD_DEMO_FEEDBACK").as_deref() != Ok("0") {
            seed::demo_feedback(&state.rooms, state.auth.now()).await?;
            tracing::info!("seeded demo reviewers' stances and comments on the sample draft");
        }
    }
    // Phases end at their deadlines, and those taking part are warned a day ahead, even when
    // nobody is looking at the document.
    let ticking = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
        loop {
            tick.tick().await;
            if let Err(e) = accord_core::phases::advance_due(&ticking).await {
                tracing::warn!("moving phases past their deadlines: {e}");
            }
            if let Err(e) = accord_core::phases::warn_due(&ticking).await {
                tracing::warn!("warning of deadlines: {e}");
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    tracing::info!("Accord is listening on http://{addr}");
    let mut limits = accord_server::listen::Limits::default();
    if let Ok(n) = std::env::var("ACCORD_CONNECTIONS_PER_ADDRESS") {
        limits.per_address = n
            .parse()
            .with_context(|| format!("ACCORD_CONNECTIONS_PER_ADDRESS '{n}' is not a number"))?;
    }
    let rooms = state.rooms.clone();
    tokio::select! {
        served = accord_server::listen::serve(listener, router(state), limits) => served?,
        () = stop_asked() => {
            // No new connections from here; the open ones are handed back once what they
            // sent is stored, and their clients reconnect to another process.
            tracing::info!("stopping: handing the connections back");
            rooms.hand_back(std::time::Duration::from_secs(10)).await;
        }
    }
    Ok(())
}

/// Resolves at SIGTERM (a service manager's, a rolling restart's) or Ctrl-C.
async fn stop_asked() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(e) => {
            tracing::warn!("SIGTERM cannot be heard: {e}");
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

/// Mail goes to `ACCORD_SMTP_URL`'s server, or, with none, into `mail/` in the data folder.
fn mailer(data: &std::path::Path, origin: &str) -> Result<Mailer, String> {
    let host = origin
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split([':', '/']).next())
        .filter(|h| h.contains('.') && !h.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .unwrap_or("localhost");
    let from =
        std::env::var("ACCORD_MAIL_FROM").unwrap_or_else(|_| format!("Accord <accord@{host}>"));
    match std::env::var("ACCORD_SMTP_URL") {
        Ok(url) if !url.is_empty() => Mailer::smtp(&url, &from),
        _ => {
            let dir = data.join("mail");
            tracing::info!(
                "no ACCORD_SMTP_URL: mail is written to {} instead of sent",
                dir.display()
            );
            Mailer::folder(dir, &from)
        }
    }
}

fn flag(name: &str) -> bool {
    matches!(std::env::var(name).as_deref(), Ok("1" | "true" | "yes"))
}

fn arg<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

/// `accord create-admin --login LOGIN --name NAME`, password from `ACCORD_ADMIN_PASSWORD`.
async fn create_admin(state: &AppState, args: &[String]) -> anyhow::Result<()> {
    let (Some(login), Some(name)) = (arg(args, "--login"), arg(args, "--name")) else {
        anyhow::bail!(
            "usage: ACCORD_ADMIN_PASSWORD=… accord create-admin --login LOGIN --name NAME"
        );
    };
    let password = std::env::var("ACCORD_ADMIN_PASSWORD")
        .context("set ACCORD_ADMIN_PASSWORD to the new admin's password")?;
    if password.chars().count() < domain::limits::MIN_PASSWORD_CHARS {
        anyhow::bail!(
            "the password must be at least {} characters long",
            domain::limits::MIN_PASSWORD_CHARS
        );
    }
    let register = domain::api::Register {
        login: login.to_string(),
        password: String::new(),
        display_name: name.to_string(),
        affiliation: String::new(),
        stakeholder_group: domain::api::StakeholderGroup::Other,
        region: domain::api::Region::WesternEuropeanOther,
        gender: None,
        age_band: None,
        next: None,
    };
    let hash = accord_core::auth::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
    match state
        .rooms
        .store()
        .create_account(&register, &hash, true)
        .await?
    {
        Some(a) => {
            state
                .rooms
                .store()
                .audit("admin-created", Some(&a.id), None, login)
                .await?;
            tracing::info!("created admin {login}");
            Ok(())
        }
        None => anyhow::bail!("login '{login}' is taken"),
    }
}

/// `accord verify-record FILE`: recomputes the hash chain of an exported decision record.
fn verify_record(path: Option<&str>) -> anyhow::Result<()> {
    let Some(path) = path else {
        anyhow::bail!("usage: accord verify-record RECORD.json");
    };
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    let entries: Vec<domain::record::Entry> =
        serde_json::from_str(&text).with_context(|| format!("{path} is not a decision record"))?;
    let last = domain::record::verify(&entries).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
    use std::io::Write;
    writeln!(
        std::io::stdout(),
        "{path}: {} entries, unaltered; last hash {last}",
        entries.len()
    )?;
    Ok(())
}
