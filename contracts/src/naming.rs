//! Stable operation ids: `RechercherUsagerParDateNaissanceEtNir` →
//! `rechercher-usager-par-date-naissance-et-nir`, `recupererDossierIndividuV4` →
//! `recuperer-dossier-individu` (the version suffix is dropped so that the same capability
//! keeps its id across versions), accents folded to ASCII.

/// Folds the accented letters of French to ASCII.
pub fn fold_accents(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' => 'a',
        'À' | 'Â' | 'Ä' | 'Á' => 'A',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'î' | 'ï' | 'í' => 'i',
        'Î' | 'Ï' | 'Í' => 'I',
        'ô' | 'ö' | 'ó' => 'o',
        'Ô' | 'Ö' | 'Ó' => 'O',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'Ù' | 'Û' | 'Ü' | 'Ú' => 'U',
        'ç' => 'c',
        'Ç' => 'C',
        other => other,
    }
}

/// Turns an `operationId` into a stable kebab-case id without its version suffix.
pub fn operation_slug(operation_id: &str) -> String {
    let folded: String = operation_id.chars().map(fold_accents).collect();
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower_or_digit = false;
    for c in folded.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower_or_digit = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower_or_digit && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
        prev_lower_or_digit = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    if !current.is_empty() {
        words.push(current);
    }
    // Drop a trailing version word: `v4`, `v2`.
    if words.len() > 1 {
        let last = words.last().map(String::as_str).unwrap_or_default();
        if last.len() > 1 && last.starts_with('v') && last[1..].chars().all(|c| c.is_ascii_digit())
        {
            words.pop();
        }
        // `...IndividuV4` splits as `individu`, `v4`; `...NumériqueV4` as `numeriquev4`.
        else if let Some(stripped) = strip_glued_version(last) {
            let n = words.len() - 1;
            words[n] = stripped;
        }
    }
    words.join("-")
}

fn strip_glued_version(word: &str) -> Option<String> {
    let digits = word
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 || word.len() < digits + 2 {
        return None;
    }
    let head = &word[..word.len() - digits];
    head.strip_suffix('v').map(str::to_string)
}

/// A slug for an operation without `operationId`: `GET /dossiers/{id}` → `get-dossiers-id`.
pub fn route_slug(method: &str, path: &str) -> String {
    let raw = format!("{method} {path}");
    let folded: String = raw
        .chars()
        .map(fold_accents)
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    folded
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_of_the_official_operation_ids() {
        assert_eq!(
            operation_slug("RechercherUsagerParDateNaissanceEtNir"),
            "rechercher-usager-par-date-naissance-et-nir"
        );
        assert_eq!(
            operation_slug("recupererDossierIndividuV4"),
            "recuperer-dossier-individu"
        );
        assert_eq!(
            operation_slug("recupererAutonomieNumériqueV4"),
            "recuperer-autonomie-numerique"
        );
        assert_eq!(operation_slug("recupererContratV2"), "recuperer-contrat");
        assert_eq!(
            operation_slug("RechercherUsagerParNumeroFranceTravail"),
            "rechercher-usager-par-numero-france-travail"
        );
        assert_eq!(
            operation_slug("recupererReferentiel"),
            "recuperer-referentiel"
        );
    }

    #[test]
    fn slug_of_a_route() {
        assert_eq!(
            route_slug("GET", "/dossiers/{idDiagnostic}"),
            "get-dossiers-iddiagnostic"
        );
    }
}
