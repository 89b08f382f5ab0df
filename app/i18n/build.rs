//! Generates the `i18n` module from `locales/{language}/{namespace}.json`, after checking that
//! every language has every message of English with the same placeholders: a missing or extra
//! message in any language fails the build (leptos_i18n alone would only warn).

use std::{error::Error, path::PathBuf};

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

#[path = "catalogue.rs"]
mod catalogue;
use catalogue::{DEFAULT, NAMESPACES, OTHERS};

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=catalogue.rs");
    println!("cargo::rerun-if-changed=locales");
    let problems = catalogue::problems(std::path::Path::new("locales"), &OTHERS, &NAMESPACES);
    if !problems.is_empty() {
        return Err(format!("the catalogue is incomplete:\n{}", problems.join("\n")).into());
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR")?).join("i18n");
    let cfg = Config::new(DEFAULT)?
        .add_locales(OTHERS)?
        .add_namespaces(NAMESPACES)?
        .parse_options(ParseOptions::default().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}
