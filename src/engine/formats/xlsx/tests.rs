//! The workbook reader: typed refusals, and the fixtures of `tests/oracle/make_xlsx.py`.

use super::*;

fn problem(bytes: Vec<u8>) -> (FileKind, TableProblem) {
    match Workbook::open(bytes).err() {
        Some(Error::Table { kind, problem }) => (kind, problem),
        other => panic!("not a table refusal: {other:?}"),
    }
}

#[test]
fn columns_have_their_a1_names() {
    for (index, name) in [
        (0, "A"),
        (5, "F"),
        (25, "Z"),
        (26, "AA"),
        (701, "ZZ"),
        (702, "AAA"),
    ] {
        assert_eq!(column_letters(index), name);
    }
    assert_eq!(a1_range((0, 0), (0, 5)), "A1:F1");
}

#[test]
fn what_is_no_workbook_is_refused_by_its_kind() {
    assert_eq!(
        problem(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest of an old workbook".to_vec()),
        (FileKind::OldExcel, TableProblem::OldExcel)
    );
    let (kind, damaged) = problem(b"PK\x03\x04 and then nothing of a zip".to_vec());
    assert_eq!(kind, FileKind::Xlsx);
    assert!(
        matches!(damaged, TableProblem::Damaged { .. }),
        "{damaged:?}"
    );
    assert!(matches!(
        problem(b"customer,amount\n".to_vec()).1,
        TableProblem::Damaged { .. }
    ));
}
