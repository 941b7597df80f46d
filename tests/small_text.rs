//! The small files read on the page (a satisfaction survey, a customer master, a SWOT table, a
//! monthly table) decoded as a step of their own (issue 13, the app's size): the page's bundle
//! has no legacy decoders, so a GBK or Big5 file is decoded by the analysis worker
//! (`AnalysisRequest::DecodeText`, answered in a `Text` frame) and the page reads the text.
//! Here, for every fixture in every encoding the readers know: decoding, passing the text
//! through the worker's frame and reading it gives exactly what reading the bytes gives (the
//! same figures, rejected rows with their lines, and the encoding with how it was decided).
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use encoding_rs::{Encoding, GBK, UTF_16LE};
use valuelens::engine::customers::CustomerTable;
use valuelens::engine::ingest::encoding::{EncodingEvidence, LanguageHint};
use valuelens::engine::ingest::{decode_text, DecodedText, ImportOutcome, Importer, TextOptions};
use valuelens::engine::master::{import_master, import_master_text, MasterOptions};
use valuelens::engine::monthly::readback::{
    monthly_text_options, read_monthly, read_monthly_decoded,
};
use valuelens::engine::survey::{import_survey, import_survey_text, SurveyOptions};
use valuelens::engine::swot::{import_swot_csv, import_swot_text, swot_text_options};
use valuelens::protocol::analysis::{decode_text_answer, encode_text, AnalysisRequest};

fn fixture(path: &str) -> Vec<u8> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", path]
        .iter()
        .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `text` in `encoding` (UTF-16LE with its byte-order mark).
fn encoded(text: &str, encoding: &'static Encoding) -> Vec<u8> {
    if encoding == UTF_16LE {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        return bytes;
    }
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{} cannot write the fixture", encoding.name());
    bytes.into_owned()
}

/// `bytes` decoded with `options` as the analysis worker answers it: the request and the
/// answer through their frames.
fn decoded_by_the_worker(bytes: &[u8], options: &TextOptions) -> DecodedText {
    let request = AnalysisRequest::DecodeText(options.clone()).to_frame(7);
    let (generation, request) = AnalysisRequest::from_frame(&request).unwrap();
    let AnalysisRequest::DecodeText(options) = request else {
        panic!("not a DecodeText request: {request:?}");
    };
    let decoded = decode_text(bytes, &options).unwrap();
    let frame = encode_text(&decoded, generation);
    assert!(decode_text_answer(&frame[..frame.len() / 2]).is_err());
    let answer = decode_text_answer(&frame).unwrap();
    assert_eq!(answer, decoded);
    answer
}

#[test]
fn a_survey_in_any_encoding_reads_the_same_decoded_apart() {
    let gbk = fixture("survey/satisfaction_gbk.csv");
    let text = GBK.decode(&gbk).0.into_owned();
    let english = fixture("survey/nps_en.csv");
    let cases = [
        (gbk.clone(), "GBK", LanguageHint::SimplifiedChinese),
        (gbk, "GBK", LanguageHint::Other),
        (encoded(&text, UTF_16LE), "UTF-16LE", LanguageHint::Other),
        (text.as_bytes().to_vec(), "UTF-8", LanguageHint::Other),
        (english, "UTF-8", LanguageHint::Other),
    ];
    for (bytes, name, hint) in cases {
        let mut options = SurveyOptions::default();
        options.file.hint = hint;
        let whole = import_survey(&bytes, &options).unwrap();
        assert_eq!(whole.encoding.name, name);
        let decoded = decoded_by_the_worker(&bytes, &TextOptions::of(&options.file));
        assert_eq!(import_survey_text(decoded, &options).unwrap(), whole);
    }
    // The user's encoding, and an error of the decoding step, are the same either way.
    let mut options = SurveyOptions::default();
    options.file.encoding = Some("Big5".into());
    let bytes = fixture("survey/satisfaction_gbk.csv");
    let whole = import_survey(&bytes, &options).unwrap();
    assert_eq!(whole.encoding.evidence, EncodingEvidence::UserChoice);
    let decoded = decoded_by_the_worker(&bytes, &TextOptions::of(&options.file));
    assert_eq!(import_survey_text(decoded, &options).unwrap(), whole);
    let options = SurveyOptions::default();
    for bytes in [&b" \r\n\t"[..], b"\x89PNG\r\n\x1a\n0000"] {
        assert_eq!(
            decode_text(bytes, &TextOptions::of(&options.file)).unwrap_err(),
            import_survey(bytes, &options).unwrap_err()
        );
    }
}

#[test]
fn a_master_in_any_encoding_reads_the_same_decoded_apart() {
    let utf8 = fixture("master/master.csv");
    let text = String::from_utf8(utf8.clone()).unwrap();
    for (bytes, name) in [
        (encoded(&text, GBK), "GBK"),
        (encoded(&text, UTF_16LE), "UTF-16LE"),
        (utf8, "UTF-8"),
    ] {
        let options = MasterOptions::default();
        let whole = import_master(&bytes, &options).unwrap();
        assert_eq!(whole.encoding.name, name);
        assert!(!whole.rows.is_empty());
        let decoded = decoded_by_the_worker(&bytes, &TextOptions::of(&options.file));
        assert_eq!(import_master_text(decoded, &options).unwrap(), whole);
    }
}

#[test]
fn a_swot_table_in_any_encoding_reads_the_same_decoded_apart() {
    for (file, hint, name) in [
        ("gbk_competitor.csv", LanguageHint::SimplifiedChinese, "GBK"),
        // The SWOT words decide against the detector's prior.
        ("zh_tw_big5.csv", LanguageHint::SimplifiedChinese, "Big5"),
        ("zh_tw_big5.csv", LanguageHint::TraditionalChinese, "Big5"),
        ("zh_cn_two_respondents.csv", LanguageHint::Other, "UTF-8"),
        ("bad_rows.csv", LanguageHint::SimplifiedChinese, "UTF-8"),
    ] {
        let bytes = fixture(&format!("swot/{file}"));
        let whole = import_swot_csv(&bytes, hint).unwrap();
        assert_eq!(whole.encoding.name, name, "{file}");
        let decoded = decoded_by_the_worker(&bytes, &swot_text_options(hint));
        assert_eq!(import_swot_text(decoded).unwrap(), whole, "{file}");
    }
}

fn summary() -> ImportOutcome<CustomerTable> {
    let bytes = fixture("summary/customers.csv");
    let end = bytes.len().min(64 * 1024);
    let preview =
        valuelens::engine::ingest::inspect(&bytes[..end], end == bytes.len(), &Default::default())
            .unwrap();
    let mut importer = Importer::new(preview.settings()).unwrap();
    importer.push(&bytes);
    importer.finish().unwrap()
}

#[test]
fn a_monthly_table_in_any_encoding_reads_the_same_decoded_apart() {
    let summary = summary();
    let ascii = String::from_utf8(fixture("summary/monthly.csv")).unwrap();
    let chinese = ascii.replacen(
        "customer_id,month,sales,profit",
        "客户编号,月份,销售额,利润",
        1,
    );
    assert_ne!(chinese, ascii);
    for (bytes, name) in [
        (encoded(&chinese, GBK), "GBK"),
        (encoded(&chinese, UTF_16LE), "UTF-16LE"),
        (ascii.into_bytes(), "UTF-8"),
    ] {
        let hint = LanguageHint::SimplifiedChinese;
        let whole = read_monthly(&bytes, "m.csv", &summary.table, hint).unwrap();
        assert!(whole.accepted(), "{name}");
        let decoded = decoded_by_the_worker(&bytes, &monthly_text_options(hint));
        assert_eq!(decoded.encoding.name, name);
        let read = read_monthly_decoded(&decoded, "m.csv", &summary.table).unwrap();
        assert_eq!(read, whole, "{name}");
    }
}
