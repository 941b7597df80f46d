//! The example SWOT board (SWOT 示例打分表) the SWOT view offers beside the sample orders: our
//! board and two competitors, in the language of the UI, so that a new user sees the comparison,
//! the strategic position and the TOWS reading before typing a single item. The words come from
//! `i18n::swot_example`; this module only builds the workbench from them, through the same edits a
//! user makes (so every bound and check applies).

use crate::engine::error::Result;
use crate::engine::swot::Workbench;
use crate::i18n::{swot_example, Lang};

/// The example workbench in `lang`.
///
/// # Errors
/// Only if the example broke a bound of the workbench (a test keeps it within them).
pub fn example_workbench(lang: Lang) -> Result<Workbench> {
    let boards = swot_example(lang);
    let mut boards = boards.iter();
    let Some(us) = boards.next() else {
        return Workbench::new(crate::engine::swot::DEFAULT_US_NAME);
    };
    let mut workbench = Workbench::new(us.name)?;
    let us_id = workbench.us.id;
    for &(quadrant, text, score) in &us.items {
        workbench.add_item(us_id, quadrant, text, score)?;
    }
    for competitor in boards {
        let id = workbench.add_competitor(competitor.name)?;
        for &(quadrant, text, score) in &competitor.items {
            workbench.add_item(id, quadrant, text, score)?;
        }
    }
    Ok(workbench)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::swot::{comparison, Quadrant};

    #[test]
    fn the_example_has_us_and_two_competitors_with_every_quadrant_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let workbench = example_workbench(lang).unwrap();
            assert_eq!(workbench.competitors.len(), 2, "{lang:?}");
            let rows = comparison(&workbench);
            assert_eq!(rows.len(), 3);
            for row in &rows {
                for quadrant in Quadrant::ALL {
                    assert!(
                        row.total(quadrant) > 0.0,
                        "{lang:?} {} {quadrant:?}",
                        row.name
                    );
                }
            }
            assert!(workbench.check_limits().is_ok());
        }
        // The same items, worded per language.
        let (zh, en) = (
            example_workbench(Lang::Zh).unwrap(),
            example_workbench(Lang::En).unwrap(),
        );
        assert_eq!(zh.us.items.len(), en.us.items.len());
        assert_ne!(zh.us.name, en.us.name);
    }
}
