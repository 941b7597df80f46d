//! Customer attributes through the real import, and the breakdown on small tables.

use super::*;
use crate::engine::ingest::{import_bytes, import_in_halves, InspectOptions};

const CSV: &str = "客户编号,订单日期,金额,地区,销售员\n\
                   C1,2024-01-05,100,华东,张三\n\
                   C2,2024-01-06,50,华北,李四\n\
                   C1,2024-03-01,30,华南,张三\n\
                   C1,2024-02-01,20,西北,张三\n\
                   C3,2024-01-07,10,,王五\n\
                   C2,2024-01-06,5,东北,李四\n";

#[test]
fn headers_are_guessed_and_the_latest_value_is_kept() {
    let outcome = import_bytes(CSV.as_bytes(), &InspectOptions::default()).unwrap();
    let settings = &outcome.report.settings;
    assert_eq!(
        settings.attributes,
        vec![
            AttributeColumn {
                column: 3,
                kind: AttributeKind::Region
            },
            AttributeColumn {
                column: 4,
                kind: AttributeKind::Salesperson
            },
        ]
    );
    let attributes = outcome.customer_attributes().unwrap();
    let region = attributes.get("region").unwrap();
    let values: Vec<&str> = (0..3).map(|i| region.value_of(i)).collect();
    // C1: latest by date (2024-03-01, not the last row); C2: same day, the later row; C3 blank.
    assert_eq!(values, ["华南", "东北", ""]);
    assert_eq!(region.changed, 2);
    assert_eq!(region.name, "地区");
    let person = attributes.get("salesperson").unwrap();
    assert_eq!(person.changed, 0);
    assert_eq!(person.value_of(2), "王五");
}

#[test]
fn two_halves_give_the_whole_files_attributes() {
    let mut csv = String::from("customer,date,amount,region,channel\n");
    for row in 0..2_000u32 {
        let customer = row * 7 % 101;
        let day = 1 + row * 13 % 28;
        let region = ["north", "south", "", "east"][(row % 4) as usize];
        let channel = ["web", "shop"][(customer % 2) as usize];
        csv += &format!(
            "c{customer},2024-02-{day:02},{},{region},{channel}\n",
            row % 9
        );
    }
    let whole = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
    let expected = whole.customer_attributes().unwrap();
    assert_eq!(expected.attributes.len(), 2);
    assert_eq!(expected.get("channel").unwrap().changed, 0);
    assert!(expected.get("region").unwrap().changed > 50);
    let value =
        |a: &CustomerAttributes, key: &str, i: usize| a.get(key).unwrap().value_of(i).to_string();
    for middle in [10, 900, csv.len() / 2, csv.len() - 40] {
        let halves =
            import_in_halves(csv.as_bytes(), whole.report.settings.clone(), middle).unwrap();
        let got = halves.customer_attributes().unwrap();
        for key in ["region", "channel"] {
            assert_eq!(
                got.get(key).unwrap().changed,
                expected.get(key).unwrap().changed,
                "{key} split near {middle}"
            );
            for i in 0..whole.table.customers.len() {
                assert_eq!(
                    value(got, key, i),
                    value(expected, key, i),
                    "{key} {i} split near {middle}"
                );
            }
        }
    }
}

#[test]
fn keys_number_repeated_kinds() {
    let columns = [
        AttributeColumn {
            column: 4,
            kind: AttributeKind::Region,
        },
        AttributeColumn {
            column: 5,
            kind: AttributeKind::Channel,
        },
        AttributeColumn {
            column: 6,
            kind: AttributeKind::Region,
        },
    ];
    assert_eq!(attribute_keys(&columns), ["region", "channel", "region_2"]);
}

#[test]
fn breakdown_counts_top_values_other_and_small_cells() {
    let mut csv = String::from("customer,date,amount,profit,region\n");
    // 12 regions: r0 has 40 customers, r1..r11 have 2 each; one blank customer.
    let mut n = 0;
    for region in 0..12 {
        let customers = if region == 0 { 40 } else { 2 };
        for _ in 0..customers {
            csv += &format!("c{n:03},2024-01-{:02},{},1,r{region}\n", 1 + n % 28, 10 + n);
            n += 1;
        }
    }
    csv += &format!("c{n:03},2024-01-02,5,1,\n");
    let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
    let attribute = outcome
        .customer_attributes()
        .unwrap()
        .get("region")
        .unwrap()
        .clone();
    let b = breakdown(&outcome.table, &attribute, None, BreakdownConfig::default()).unwrap();
    assert_eq!(b.distinct, 13);
    assert_eq!(b.values.len(), 11);
    assert_eq!(b.values[0].label, ValueLabel::Value("r0".into()));
    assert_eq!(b.values[0].total.customers, 40);
    assert!(!b.values[0].total.small);
    let other = b.values.last().unwrap();
    assert_eq!(other.label, ValueLabel::Other);
    assert_eq!(other.distinct, 3);
    assert!(other.total.small);
    let customers: usize = b.values.iter().map(|v| v.total.customers).sum();
    assert_eq!(customers, outcome.table.customers.len());
    let in_deciles: usize = b.deciles.iter().flatten().map(|c| c.customers).sum();
    assert_eq!(in_deciles, customers);
    assert!(b.segments.is_none());
    // The blank customer (sales 5, the smallest) is in the last decile; blank is a value.
    assert!(b.values.iter().any(|v| v.label == ValueLabel::Blank) || other.distinct == 3);
}

/// The breakdown taken in steps (3 customers a step in tests) is the breakdown at once after
/// any number of steps, with deciles and segments; steps on another table do nothing.
#[test]
fn the_breakdown_in_steps_is_the_breakdown_at_once() {
    use crate::engine::rfm::{analyse_rfm, RfmConfig, SegmentRules};
    let mut csv = String::from("customer,date,amount,region\n");
    for row in 0..400u32 {
        let customer = row * 7 % 41;
        let region = ["north", "south", "", "east", "west"][(customer % 5) as usize];
        csv += &format!(
            "c{customer},2024-{:02}-{:02},{},{region}\n",
            1 + row % 12,
            1 + row % 28,
            3 + row % 17
        );
    }
    let outcome = import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap();
    let table = &outcome.table;
    let attributes = outcome.customer_attributes().unwrap();
    let region = attributes.get("region").unwrap();
    let rfm = analyse_rfm(table, &RfmConfig::default(), &SegmentRules::default()).unwrap();
    let scored = Some((&rfm.scores, &rfm.segmentation));
    let deciles = sales_deciles(table).unwrap();
    let config = BreakdownConfig {
        top: 3,
        small_cell: 30,
    };
    let whole = breakdown_in_deciles(table, region, scored, Some(&deciles), config).unwrap();
    assert_eq!(whole.values.len(), 4, "three values and Other");
    assert_eq!(whole, breakdown(table, region, scored, config).unwrap());
    let mut steps = BreakdownSteps::new(table, region, scored, Some(&deciles), config).unwrap();
    let mut count = 0;
    while steps.step(table, region, scored, Some(&deciles)) {
        count += 1;
    }
    // 41 customers 3 at a time for the values and the deciles, and the scored customers'.
    assert!(count >= 3 * 14, "{count} steps");
    for taken in [0, 1, 13, 14, 15, 28, 29, count] {
        let mut steps = BreakdownSteps::new(table, region, scored, Some(&deciles), config).unwrap();
        for _ in 0..taken {
            steps.step(table, region, scored, Some(&deciles));
        }
        let made = steps.finish(table, region, scored, Some(&deciles)).unwrap();
        assert_eq!(made, whole, "after {taken} steps");
    }
    let other = crate::engine::customers::CustomerTable::default();
    let mut steps = BreakdownSteps::new(table, region, scored, None, config).unwrap();
    assert!(!steps.step(&other, region, scored, None));
    assert_eq!(
        steps.finish(&other, region, scored, None),
        Err(crate::engine::Error::NoData)
    );
    assert!(BreakdownSteps::new(table, region, None, Some(&deciles[1..]), config).is_err());
    // A caller that passes the segments to some steps and not others gets no panic.
    let mut steps = BreakdownSteps::new(table, region, scored, Some(&deciles), config).unwrap();
    for _ in 0..14 {
        steps.step(table, region, None, Some(&deciles));
    }
    while steps.step(table, region, scored, Some(&deciles)) {}
    let _ = steps.finish(table, region, scored, Some(&deciles));
}
