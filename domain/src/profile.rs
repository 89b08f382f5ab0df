//! What multi-stakeholder balance is measured on: a participant's self-declared stakeholder
//! group, region and, optionally, gender and age band. Shown in aggregate only.

choice!(
    /// The stakeholder groups of the IGF.
    StakeholderGroup {
        Government = "government" / "Government",
        PrivateSector = "private-sector" / "Private sector",
        CivilSociety = "civil-society" / "Civil society",
        TechnicalCommunity = "technical-community" / "Technical community",
        Academia = "academia" / "Academia",
        Intergovernmental = "intergovernmental" / "Intergovernmental organisation",
        Other = "other" / "Other",
    }
);

choice!(
    /// The five UN regional groups.
    Region {
        African = "african" / "African States",
        AsiaPacific = "asia-pacific" / "Asia-Pacific States",
        EasternEuropean = "eastern-european" / "Eastern European States",
        LatinAmericanCaribbean = "latin-american-caribbean" / "Latin American and Caribbean States",
        WesternEuropeanOther = "western-european-other" / "Western European and Other States",
    }
);

choice!(
    /// Optional, self-declared.
    Gender {
        Woman = "woman" / "Woman",
        Man = "man" / "Man",
        NonBinary = "non-binary" / "Non-binary",
        SelfDescribed = "other" / "Another gender",
    }
);

choice!(
    /// Optional, self-declared.
    AgeBand {
        Under25 = "under-25" / "Under 25",
        From25To39 = "25-39" / "25–39",
        From40To59 = "40-59" / "40–59",
        Over60 = "60-plus" / "60 or over",
    }
);

choice!(
    /// The six UN languages Accord speaks, by their BCP 47 tags; each named in itself.
    Language {
        Arabic = "ar" / "العربية",
        Chinese = "zh" / "中文",
        English = "en" / "English",
        French = "fr" / "Français",
        Russian = "ru" / "Русский",
        Spanish = "es" / "Español",
    }
);

// `choice!` writes the enum, so `#[derive(Default)]` with `#[default]` cannot be used.
#[allow(clippy::derivable_impls)]
impl Default for Language {
    fn default() -> Self {
        Language::English
    }
}

impl Language {
    /// Whether the language is written right to left.
    pub fn right_to_left(self) -> bool {
        self == Language::Arabic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_serialise_as_keys() {
        for g in StakeholderGroup::ALL {
            assert_eq!(StakeholderGroup::parse(g.key()), Some(*g));
        }
        assert_eq!(
            serde_json::to_string(&Region::LatinAmericanCaribbean).expect("json"),
            "\"latin-american-caribbean\""
        );
        assert_eq!(Region::ALL.len(), 5);
        assert_eq!(StakeholderGroup::ALL.len(), 7);
    }
}
