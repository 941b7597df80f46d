//! Survey import on the hand-made fixtures of `tests/fixtures/survey/` (expected values worked
//! out by hand in its README).

use super::*;
use crate::engine::customers::CustomerTable;
use crate::engine::test_support::survey_orders;

fn orders() -> CustomerTable {
    survey_orders().0
}
use crate::engine::ingest::encoding::LanguageHint;

const GBK: &[u8] = include_bytes!("../../../tests/fixtures/survey/satisfaction_gbk.csv");
const NPS: &[u8] = include_bytes!("../../../tests/fixtures/survey/nps_en.csv");

#[test]
fn a_gbk_survey_with_chinese_labels_is_read() {
    let survey = import_survey(GBK, &SurveyOptions::default()).unwrap();
    assert_eq!(survey.encoding.name, "GBK");
    assert!(survey.has_header);
    assert_eq!(
        survey.mapping,
        SurveyMapping {
            customer: Some(0),
            satisfaction: Some(1),
            recommend: Some(2),
            repurchase: Some(3),
            date: Some(4),
        }
    );
    assert!(survey.guesses.iter().all(|g| g.confidence == 1.0));
    assert_eq!(survey.scale, Scale::Labels);
    assert_eq!(survey.scale_decided, Decided::Detected);
    assert_eq!(survey.rows_read, 16);
    assert_eq!(survey.responses.len(), 14);
    assert_eq!(survey.rejected_count, 2);
    // Nothing dropped silently.
    assert_eq!(
        survey.rows_read,
        survey.responses.len() as u64 + survey.rejected_count
    );
    let messages: Vec<String> = survey.rejected.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "line 16, column '满意度': expected an answer on the scale 1 to 5 or one of its words, found '很好'",
            "line 17, column '客户编号': the cell is empty",
        ]
    );
    assert_eq!(survey.respondents.len(), 12);
    assert_eq!(survey.repeated_customers(), 2);
}

#[test]
fn the_latest_response_wins_by_date_not_by_line() {
    let survey = import_survey(GBK, &SurveyOptions::default()).unwrap();
    let of = |id: &str| survey.respondents.iter().find(|r| r.id == id).unwrap();
    // C03 answered 一般 on 2024-05-01 (line 4) and 不满意 on 2024-02-01 (line 13).
    let c03 = of("C03");
    assert_eq!(
        (c03.responses, c03.level, c03.recommend),
        (2, Some(3), Some(6.0))
    );
    assert_eq!(c03.intent, Some(Intent::Unsure));
    let c10 = of("C10");
    assert_eq!((c10.level, c10.recommend), (Some(5), Some(10.0)));
    assert_eq!(c10.date.map(Day::iso).as_deref(), Some("2024-06-05"));
}

#[test]
fn the_mean_of_several_responses_rounds_half_up() {
    let options = SurveyOptions {
        combine: Combine::Mean,
        ..SurveyOptions::default()
    };
    let survey = import_survey(GBK, &options).unwrap();
    let of = |id: &str| survey.respondents.iter().find(|r| r.id == id).unwrap();
    // C03: levels 3 and 2 → 2.5 → level 3; recommend 6 and 5 → 5.5.
    let c03 = of("C03");
    assert_eq!(
        (c03.satisfaction, c03.level, c03.recommend),
        (Some(2.5), Some(3), Some(5.5))
    );
    // C10: 4 and 5 → 4.5 → 5; 9 and 10 → 9.5.
    let c10 = of("C10");
    assert_eq!(
        (c10.satisfaction, c10.level, c10.recommend),
        (Some(4.5), Some(5), Some(9.5))
    );
}

#[test]
fn an_english_nps_export_is_read_with_day_first_dates() {
    let options = SurveyOptions {
        file: InspectOptions {
            hint: LanguageHint::Other,
            ..InspectOptions::default()
        },
        ..SurveyOptions::default()
    };
    let survey = import_survey(NPS, &options).unwrap();
    assert_eq!(survey.mapping.customer, Some(0));
    assert_eq!(survey.mapping.recommend, Some(1));
    assert_eq!(survey.mapping.date, Some(2));
    assert_eq!(survey.mapping.satisfaction, None);
    let recommend = survey
        .guesses
        .iter()
        .find(|g| g.role == SurveyRole::Recommend)
        .unwrap();
    assert_eq!(recommend.source, GuessSource::HeaderPartial);
    assert!((recommend.confidence - 0.85).abs() < 1e-6);
    assert_eq!(survey.date_order, DateOrder::DayFirst);
    assert_eq!(
        survey.responses[0].date.map(Day::iso).as_deref(),
        Some("2024-06-25")
    );
    assert_eq!(survey.rows_read, 7);
    assert_eq!(survey.rejected.len(), 1);
    assert_eq!(
        survey.rejected[0].to_string(),
        "line 7, column 'Likelihood to recommend (0-10)': expected an answer on the scale 0 to \
         10 or one of its words, found '11'"
    );
}

#[test]
fn scales_are_detected_from_the_values() {
    let cases: [(&[&str], Scale); 7] = [
        (&["1", "5", "3"], Scale::OneToFive),
        (&["1", "7", ""], Scale::OneToSeven),
        (&["2", "9", "10"], Scale::OneToTen),
        (&["0", "9", "4"], Scale::ZeroToTen),
        (&["满意", "一般", "5"], Scale::Labels),
        (&["Very satisfied", "Neutral"], Scale::Labels),
        (&[], Scale::OneToFive),
    ];
    for (cells, expected) in cases {
        assert_eq!(detect_scale(cells.iter().copied()), expected, "{cells:?}");
    }
}

#[test]
fn answers_are_levels_of_the_scale_or_rejected() {
    let cases: [(&str, Scale, Option<u8>); 12] = [
        ("非常满意", Scale::Labels, Some(5)),
        ("不滿意", Scale::Labels, Some(2)),
        ("特別滿意", Scale::OneToFive, Some(5)),
        ("Very Dissatisfied", Scale::Labels, Some(1)),
        ("3", Scale::Labels, Some(3)),
        ("6", Scale::Labels, None),
        ("满意", Scale::ZeroToTen, None),
        ("0", Scale::OneToTen, None),
        ("0", Scale::ZeroToTen, Some(0)),
        ("７", Scale::OneToSeven, Some(7)),
        ("8分", Scale::OneToTen, Some(8)),
        ("4.5", Scale::OneToFive, None),
    ];
    for (cell, scale, expected) in cases {
        assert_eq!(
            satisfaction_level(cell, scale),
            expected,
            "{cell} on {scale:?}"
        );
    }
    assert_eq!(intent_of("不会", false), Some(Intent::No));
    assert_eq!(intent_of("1", true), Some(Intent::Yes));
    assert_eq!(intent_of("3", false), Some(Intent::Unsure));
    assert_eq!(intent_of("maybe", true), Some(Intent::Unsure));
    assert_eq!(intent_of("7", false), None);
}

#[test]
fn a_given_scale_rejects_what_is_off_it() {
    // Read on 1–10, the label words are no answers.
    let options = SurveyOptions {
        scale: Some(Scale::OneToTen),
        ..SurveyOptions::default()
    };
    let error = import_survey(GBK, &options).unwrap_err();
    assert!(
        matches!(error, Error::AllRowsRejected { rows: 16, .. }),
        "{error}"
    );
}

#[test]
fn a_survey_without_answers_or_customers_is_refused() {
    let no_answer = "客户编号,填写日期\nC01,2024-01-01\n";
    assert_eq!(
        import_survey(no_answer.as_bytes(), &SurveyOptions::default()),
        Err(parameter("mapping", ParameterProblem::NoSurveyAnswerColumn))
    );
    assert_eq!(
        import_survey(b"  \n", &SurveyOptions::default()),
        Err(Error::EmptyFile)
    );
    assert_eq!(
        import_survey("客户编号,满意度\n".as_bytes(), &SurveyOptions::default()),
        Err(Error::HeaderOnly)
    );
    let options = SurveyOptions {
        mapping: Some(SurveyMapping {
            customer: Some(9),
            satisfaction: Some(1),
            ..SurveyMapping::default()
        }),
        ..SurveyOptions::default()
    };
    assert_eq!(
        import_survey("客户编号,满意度\nC1,5\n".as_bytes(), &options),
        Err(Error::NoSuchColumn { index: 9, count: 2 })
    );
}

#[test]
fn a_row_that_answers_nothing_or_has_extra_values_is_listed() {
    let text = "customer,satisfaction,nps\nA,5,9\nB,,\nC,4,8,extra\n";
    let survey = import_survey(text.as_bytes(), &SurveyOptions::default()).unwrap();
    let problems: Vec<(u64, RowProblem)> = survey
        .rejected
        .iter()
        .map(|e| (e.line, e.problem))
        .collect();
    assert_eq!(
        problems,
        [
            (3, RowProblem::NoAnswer),
            (
                4,
                RowProblem::ExtraColumns {
                    found: 4,
                    expected: 3
                }
            )
        ]
    );
}

#[test]
fn the_join_lists_respondents_without_orders_and_counts_the_rest() {
    let survey = import_survey(GBK, &SurveyOptions::default()).unwrap();
    let table = orders();
    let joined = join(&survey, &table);
    assert_eq!(joined.matched, 10);
    let unmatched: Vec<&str> = joined
        .unmatched
        .iter()
        .map(|&k| survey.respondents[k].id.as_str())
        .collect();
    assert_eq!(unmatched, ["P01", "P02"]);
    assert_eq!(joined.customers_without_response, 0);
    assert_eq!(joined.match_rate, Some(10.0 / 12.0));
    assert_eq!(joined.coverage, Some(1.0));

    let nps = import_survey(NPS, &SurveyOptions::default()).unwrap();
    let joined = join(&nps, &table);
    assert_eq!(joined.matched, 5);
    assert_eq!(joined.customers_without_response, 5);
    assert_eq!(joined.match_rate, Some(5.0 / 6.0));
}

#[test]
fn dialects_and_encodings_of_real_exports() {
    // (file, scale, responses, first customer, first level)
    let utf16: Vec<u8> = {
        let mut bytes = vec![0xFF, 0xFE];
        let text = "客户编号\t满意度\r\nC1\t7\r\nC2\t1\r\n";
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let cases: [(&[u8], Scale, usize, &str, u8); 5] = [
        // Excel's `sep=;` line, a BOM and a semicolon file.
        (
            "\u{feff}sep=;\ncustomer;satisfaction\n A1 ;4\nB2;5\n".as_bytes(),
            Scale::OneToFive,
            2,
            "A1",
            4,
        ),
        // No header: the first row of answers is data, not a header.
        (
            "C1,满意,9\nC2,一般,5\n".as_bytes(),
            Scale::Labels,
            2,
            "C1",
            4,
        ),
        // Traditional Chinese labels.
        (
            "客戶編號,滿意度\nT1,特別滿意\nT2,不滿意\n".as_bytes(),
            Scale::Labels,
            2,
            "T1",
            5,
        ),
        // UTF-16LE with a BOM, tab-delimited (Excel's "Unicode text"), a 1–7 scale.
        (&utf16, Scale::OneToSeven, 2, "C1", 7),
        // Full-width digits and a score suffix, 0–10.
        (
            "会员ID,评分\nM1,０\nM2,10分\n".as_bytes(),
            Scale::ZeroToTen,
            2,
            "M1",
            0,
        ),
    ];
    for (bytes, scale, responses, id, level) in cases {
        let survey = import_survey(bytes, &SurveyOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(bytes)));
        assert_eq!(survey.scale, scale, "{}", String::from_utf8_lossy(bytes));
        assert_eq!(survey.responses.len(), responses);
        assert_eq!(survey.responses[0].customer, id);
        assert_eq!(survey.responses[0].satisfaction, Some(level));
    }
}

#[test]
fn a_spreadsheet_text_marker_is_no_part_of_the_id() {
    let survey = import_survey(
        "customer,nps\n'=C1,9\n'+86138,3\n".as_bytes(),
        &SurveyOptions::default(),
    )
    .unwrap();
    let ids: Vec<&str> = survey.respondents.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["+86138", "=C1"]);
}

#[test]
fn a_survey_kept_in_a_workspace_round_trips_and_is_checked() {
    use crate::engine::loyalty::LoyaltyConfig;
    use crate::engine::workspace::{Workspace, WorkspaceSurvey};
    let survey = import_survey(GBK, &SurveyOptions::default()).unwrap();
    let workspace = Workspace {
        survey: Some(WorkspaceSurvey {
            file_name: "满意度.csv".into(),
            survey: Some(survey.clone()),
            config: LoyaltyConfig::default(),
            file: None,
        }),
        ..Workspace::default()
    };
    let json = workspace.to_json().unwrap();
    let back = Workspace::from_json(&json).unwrap();
    assert_eq!(back, workspace);
    // As version 1 wrote it (the survey read, no file): still opened.
    let version_1 = json.replacen("\"version\": 2,", "\"version\": 1,", 1);
    assert_ne!(version_1, json);
    let opened = Workspace::from_json(&version_1).unwrap();
    assert_eq!(
        (opened.version, opened.survey),
        (1, workspace.survey.clone())
    );
    // Forgotten: a workspace without it reads as one without a survey.
    let forgotten = Workspace {
        survey: None,
        ..back
    };
    assert_eq!(
        Workspace::from_json(&forgotten.to_json().unwrap())
            .unwrap()
            .survey,
        None
    );
    // A level off the scale is refused with the part named.
    let mut bad = survey;
    bad.respondents[0].level = Some(9);
    let workspace = Workspace {
        survey: Some(WorkspaceSurvey {
            file_name: "s.csv".into(),
            survey: Some(bad),
            config: LoyaltyConfig::default(),
            file: None,
        }),
        ..Workspace::default()
    };
    let error = Workspace::from_json(&workspace.to_json().unwrap()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "could not read the workspace file: invalid content: the survey: parameter 'scale': \
         must be between 1 and 5"
    );
}

/// `combine` against the rule written plainly: for each id (ascending), its responses oldest
/// first (undated first, then by date, then by line), the latest one's answers or the means.
#[test]
fn combine_is_the_rule_written_plainly() {
    let mut seed = 7u64;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) % n
    };
    let mut responses = Vec::new();
    for line in 2..3_000u64 {
        let day = |d: u64| Some(Day::from_epoch_days(19_723 + d as i32));
        let pick = next(4);
        responses.push(Response {
            line,
            customer: format!("C{}", next(400)),
            satisfaction: (pick != 0).then(|| next(5) as u8 + 1),
            recommend: (pick != 1).then(|| next(11) as u8),
            intent: (pick == 2).then_some(Intent::Yes),
            date: (next(5) != 0).then(|| day(next(30))).flatten(),
        });
    }
    for how in [Combine::Latest, Combine::Mean] {
        let mut ids: Vec<&str> = responses.iter().map(|r| r.customer.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let expected: Vec<Respondent> = ids
            .iter()
            .map(|id| {
                let mut group: Vec<&Response> =
                    responses.iter().filter(|r| r.customer == *id).collect();
                group.sort_by_key(|r| (r.date, r.line));
                respondent(&group, how)
            })
            .collect();
        assert_eq!(combine(&responses, how), expected, "{how:?}");
        let mut reversed = responses.clone();
        reversed.reverse();
        assert_eq!(combine(&reversed, how), expected, "{how:?}, reversed");
    }
}

/// A survey kept as its file (version 2) round-trips with its bytes and options, and reads
/// again as the file read; a file that is not base64, a survey kept both ways or neither way,
/// and a mapping past the columns a workspace holds are refused with the part named.
#[test]
fn a_survey_file_kept_in_a_workspace_round_trips_and_is_checked() {
    use crate::engine::loyalty::LoyaltyConfig;
    use crate::engine::workspace::{Workspace, WorkspaceSurvey, WorkspaceSurveyFile};
    let options = SurveyOptions {
        scale: Some(Scale::OneToFive),
        combine: Combine::Mean,
        ..SurveyOptions::default()
    };
    let kept = |file: Option<WorkspaceSurveyFile>, survey: Option<Survey>| Workspace {
        survey: Some(WorkspaceSurvey {
            file_name: "满意度.csv".into(),
            survey,
            config: LoyaltyConfig::default(),
            file,
        }),
        ..Workspace::default()
    };
    let file = WorkspaceSurveyFile::new(&options, GBK);
    let workspace = kept(Some(file.clone()), None);
    let json = workspace.to_json().unwrap();
    assert!(!json.contains("\"survey\":{\"file_name\":\"满意度.csv\",\"survey\""));
    let back = Workspace::from_json(&json).unwrap();
    assert_eq!(back, workspace);
    let again = back.survey.unwrap().file.unwrap();
    assert_eq!(again.file_bytes().unwrap(), GBK);
    assert_eq!(
        import_survey(&again.file_bytes().unwrap(), &again.options).unwrap(),
        import_survey(GBK, &options).unwrap()
    );
    let refused = |workspace: Workspace| {
        Workspace::from_json(&workspace.to_json().unwrap())
            .unwrap_err()
            .to_string()
    };
    let broken = WorkspaceSurveyFile {
        bytes: "not base64!".into(),
        ..file.clone()
    };
    assert_eq!(
        refused(kept(Some(broken), None)),
        "could not read the workspace file: invalid content: the survey: the survey file: \
         cannot be read"
    );
    let survey = import_survey(GBK, &options).unwrap();
    for (file, survey) in [(Some(file.clone()), Some(survey)), (None, None)] {
        assert_eq!(
            refused(kept(file, survey)),
            "could not read the workspace file: invalid content: the survey: the survey file: \
             cannot be read"
        );
    }
    let mut far = file;
    far.options.mapping = Some(SurveyMapping {
        customer: Some(0),
        satisfaction: Some(1_000_000),
        ..SurveyMapping::default()
    });
    assert!(refused(kept(Some(far), None)).contains("the survey file"));
}
