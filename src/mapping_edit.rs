//! The user's edits of the column roles in the mapping step, as pure functions of the
//! [`Preview`]: a role given to a column (from the column's select) or a column given to a role
//! (by its number, for columns beyond the ones the table shows). A column holds at most one role
//! and a role at most one column; the user's choice is recorded as a sure guess.

use crate::engine::dimensions::{AttributeColumn, AttributeKind};
use crate::engine::dimensions::{LineColumn, LineKind, LINE_LIMIT};
use crate::engine::ingest::columns::{ColumnGuess, GuessSource, Role};
use crate::engine::ingest::{Preview, SummaryRole};

/// Gives `column` the role `role` (`None`: no role), taking it from any other column.
pub fn set_column_role(preview: &mut Preview, column: usize, role: Option<Role>) {
    preview.attributes.retain(|a| a.column != column);
    preview.lines.retain(|l| l.column != column);
    for r in Role::ALL {
        if preview.mapping.get(r) == Some(column) {
            preview.mapping.set(r, None);
        }
    }
    if let Some(role) = role {
        assign(preview, role, column);
    }
}

/// Marks `column` as a customer attribute of `kind` (`None`: no longer one), taking any role
/// from it; attributes stay in column order.
pub fn set_column_attribute(preview: &mut Preview, column: usize, kind: Option<AttributeKind>) {
    preview.attributes.retain(|a| a.column != column);
    if let Some(kind) = kind {
        if column >= preview.headers.len() {
            return;
        }
        set_column_role(preview, column, None);
        preview.attributes.push(AttributeColumn { column, kind });
        preview.attributes.sort_by_key(|a| a.column);
    }
}

/// The attribute kind of `column`, if it is one.
pub fn column_attribute(preview: &Preview, column: usize) -> Option<AttributeKind> {
    preview
        .attributes
        .iter()
        .find(|a| a.column == column)
        .map(|a| a.kind)
}

/// Marks `column` as a line attribute of `kind` (`None`: no longer one), taking any role or
/// customer attribute from it; line attributes stay in column order.
pub fn set_column_line(preview: &mut Preview, column: usize, kind: Option<LineKind>) {
    preview.lines.retain(|l| l.column != column);
    if let Some(kind) = kind {
        if column >= preview.headers.len() {
            return;
        }
        set_column_role(preview, column, None);
        preview.lines.push(LineColumn { column, kind });
        preview.lines.sort_by_key(|l| l.column);
    }
}

/// The line attribute kind of `column`, if it is one.
pub fn column_line(preview: &Preview, column: usize) -> Option<LineKind> {
    preview
        .lines
        .iter()
        .find(|l| l.column == column)
        .map(|l| l.kind)
}

/// The columns mapped as line attributes beyond the first [`LINE_LIMIT`]: mapped, not
/// aggregated (the mapping says so).
pub fn lines_not_kept(preview: &Preview) -> Vec<usize> {
    preview
        .lines
        .iter()
        .skip(LINE_LIMIT)
        .map(|l| l.column)
        .collect()
}

/// Gives `role` to `column` (`None`: to no column), taking `column` from any other role.
pub fn set_role_column(preview: &mut Preview, role: Role, column: Option<usize>) {
    match column {
        Some(column) if column < preview.headers.len() => {
            set_column_role(preview, column, Some(role))
        }
        Some(_) => {}
        None => {
            preview.mapping.set(role, None);
            preview.guesses.retain(|g| g.role != role);
        }
    }
}

/// Gives `column` the role `role` of a per-customer summary (`None`: no role), taking it from
/// any other column; nothing when the preview is not read as a summary.
pub fn set_column_summary_role(preview: &mut Preview, column: usize, role: Option<SummaryRole>) {
    let Some(summary) = preview.summary.as_mut() else {
        return;
    };
    for r in SummaryRole::ALL {
        if summary.get(r) == Some(column) {
            summary.set(r, None);
        }
    }
    if let Some(role) = role {
        summary.set(role, Some(column));
    }
}

fn assign(preview: &mut Preview, role: Role, column: usize) {
    preview.attributes.retain(|a| a.column != column);
    preview.lines.retain(|l| l.column != column);
    preview.mapping.set(role, Some(column));
    preview
        .guesses
        .retain(|g| g.role != role && g.column != column);
    preview.guesses.push(ColumnGuess {
        role,
        column,
        confidence: 1.0,
        source: GuessSource::HeaderExact,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{inspect, InspectOptions};

    fn preview() -> Preview {
        let csv = "customer,amount,x,y\nc1,10,a,b\nc2,20,c,d\n";
        inspect(csv.as_bytes(), true, &InspectOptions::default()).unwrap()
    }

    #[test]
    fn any_number_of_columns_are_attributes_and_a_role_takes_one_back() {
        let mut p = preview();
        assert!(p.attributes.is_empty());
        set_column_attribute(&mut p, 3, Some(AttributeKind::Channel));
        set_column_attribute(&mut p, 2, Some(AttributeKind::Region));
        assert_eq!(column_attribute(&p, 2), Some(AttributeKind::Region));
        assert_eq!(
            p.attributes.iter().map(|a| a.column).collect::<Vec<_>>(),
            [2, 3]
        );
        // The amount's column made an attribute loses its role; a role given back takes it.
        set_column_attribute(&mut p, 1, Some(AttributeKind::Other));
        assert_eq!(p.mapping.get(Role::Amount), None);
        set_column_role(&mut p, 1, Some(Role::Amount));
        assert_eq!(column_attribute(&p, 1), None);
        set_column_attribute(&mut p, 2, None);
        set_column_attribute(&mut p, 9, Some(AttributeKind::Region));
        assert_eq!(p.attributes.len(), 1);
        assert_eq!(p.settings().attributes, p.attributes);
    }

    /// Issue 20: any number of columns are line attributes (the first two aggregated); a role
    /// or a customer attribute takes one back.
    #[test]
    fn line_attributes_are_marked_and_taken_back() {
        let mut p = preview();
        assert!(p.lines.is_empty());
        set_column_line(&mut p, 3, Some(LineKind::Product));
        set_column_line(&mut p, 2, Some(LineKind::Category));
        assert_eq!(column_line(&p, 2), Some(LineKind::Category));
        assert!(lines_not_kept(&p).is_empty());
        set_column_line(&mut p, 1, Some(LineKind::Sku));
        assert_eq!(p.mapping.get(Role::Amount), None);
        assert_eq!(lines_not_kept(&p), [3]);
        assert_eq!(p.settings().line_specs().len(), LINE_LIMIT);
        set_column_role(&mut p, 1, Some(Role::Amount));
        assert_eq!(column_line(&p, 1), None);
        set_column_attribute(&mut p, 2, Some(AttributeKind::Region));
        assert_eq!(column_line(&p, 2), None);
        assert_eq!(p.settings().lines, p.lines);
    }

    #[test]
    fn a_summary_column_takes_one_summary_role() {
        let csv = "customer,orders,sales,x\nc1,1,10,a\nc2,2,20,b\n";
        let mut p = inspect(csv.as_bytes(), true, &InspectOptions::default()).unwrap();
        let summary = |p: &Preview| p.summary.clone().unwrap();
        assert_eq!(summary(&p).orders, Some(1));
        set_column_summary_role(&mut p, 3, Some(SummaryRole::Orders));
        assert_eq!((summary(&p).orders, summary(&p).sales), (Some(3), Some(2)));
        set_column_summary_role(&mut p, 2, Some(SummaryRole::Orders));
        assert_eq!((summary(&p).orders, summary(&p).sales), (Some(2), None));
        set_column_summary_role(&mut p, 2, None);
        assert_eq!(summary(&p).orders, None);
        p.set_summary(false);
        set_column_summary_role(&mut p, 2, Some(SummaryRole::Orders));
        assert_eq!(p.summary, None);
    }

    #[test]
    fn a_column_takes_one_role() {
        let mut p = preview();
        assert_eq!(p.mapping.get(Role::Customer), Some(0));
        set_column_role(&mut p, 2, Some(Role::Customer));
        assert_eq!(p.mapping.get(Role::Customer), Some(2));
        set_column_role(&mut p, 2, Some(Role::Order));
        assert_eq!(p.mapping.get(Role::Customer), None);
        assert_eq!(p.mapping.get(Role::Order), Some(2));
        set_column_role(&mut p, 2, None);
        assert_eq!(p.mapping.get(Role::Order), None);
    }

    #[test]
    fn a_role_is_given_a_column_by_number() {
        let mut p = preview();
        set_role_column(&mut p, Role::Customer, Some(3));
        assert_eq!(p.mapping.get(Role::Customer), Some(3));
        assert!(p
            .guesses
            .iter()
            .any(|g| g.role == Role::Customer && g.column == 3 && g.confidence == 1.0));
        // The amount's column given to the customer: the amount loses it.
        set_role_column(&mut p, Role::Customer, Some(1));
        assert_eq!(p.mapping.get(Role::Amount), None);
        // Out of range: nothing changes.
        set_role_column(&mut p, Role::Amount, Some(99));
        assert_eq!(p.mapping.get(Role::Amount), None);
        set_role_column(&mut p, Role::Customer, None);
        assert_eq!(p.mapping.get(Role::Customer), None);
        assert!(p.guesses.iter().all(|g| g.role != Role::Customer));
    }
}
