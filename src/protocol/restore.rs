//! Reading a saved workspace in the restore worker ([`super::Request::Restore`],
//! `src/bin/restorer.rs`; the import worker's bundle links none of it): the text
//! parsed, checked and made customers there, so that the page never holds a large one in one
//! task (restoring 193,457 customers took one task of 449 ms on the page). The worker answers
//! with the small part ([`Restored`], [`super::Response::Restored`]), then, when there is a data
//! set, with the finished import's frame (`Done`), which the page decodes a slice of customers
//! at a time as it decodes an import's.

use serde::{Deserialize, Serialize};

use crate::engine::customers::FlatCustomers;
use crate::engine::error::{Error, FormatSubject};
use crate::engine::loyalty::LoyaltyConfig;
use crate::engine::master::MasterOptions;
use crate::engine::survey::SurveyOptions;
use crate::engine::workspace::{DataApart, Workspace, WorkspaceMaster, WorkspaceSurvey};

use super::frame::{self, Kind};
use super::handoff::Bytes;
use super::{unreadable, Finished, Response};

/// What the text sent with [`super::Request::Restore`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RestoreFrom {
    /// A workspace file the user opened (`.valuelens.json`).
    WorkspaceFile,
    /// The page's record of its last session's data set (the JSON of a
    /// [`WorkspaceData`](crate::engine::workspace::WorkspaceData)).
    SessionData,
}

/// The small part of a restored workspace; its customers follow in a `Done` frame when
/// `file_name` is some.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Restored {
    /// The workspace without its data set, as JSON ([`Workspace::to_json`]), checked;
    /// `None` for [`RestoreFrom::SessionData`].
    pub workspace: Option<String>,
    /// The data set's file name; `None` without a data set (no `Done` follows).
    pub file_name: Option<String>,
    /// The master file kept with the data, for the page to read as it read the file.
    pub master: Option<RestoredMaster>,
    /// The survey file kept in the workspace, taken out of it (`workspace` holds no survey
    /// then), for the page to read again as it read the file.
    pub survey: Option<RestoredSurvey>,
}

/// A survey file kept in a restored workspace
/// ([`WorkspaceSurveyFile`](crate::engine::workspace::WorkspaceSurveyFile)), its bytes out of their
/// base64: in the workspace's text, a 4.6 MB survey's 6 MB of base64 were parsed, checked and
/// decoded on the page in one task of 65 ms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestoredSurvey {
    /// The file's name.
    pub file_name: String,
    /// How it was read.
    pub options: SurveyOptions,
    /// The loyalty analysis's parameters kept with it.
    pub config: LoyaltyConfig,
    /// How many bytes the file has: the end of the frame's body (after the master file's).
    pub len: u64,
    /// The file's bytes (the end of the frame's body).
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// Takes a survey kept as its file out of `workspace`.
///
/// # Errors
/// As [`WorkspaceSurveyFile::file_bytes`](crate::engine::workspace::WorkspaceSurveyFile::file_bytes).
fn take_survey_file(workspace: &mut Workspace) -> Result<Option<RestoredSurvey>, Error> {
    let Some(WorkspaceSurvey {
        file_name,
        config,
        file: Some(file),
        ..
    }) = workspace.survey.take_if(|s| s.file.is_some())
    else {
        return Ok(None);
    };
    let bytes = file.file_bytes()?;
    Ok(Some(RestoredSurvey {
        file_name,
        options: file.options,
        config,
        len: bytes.len() as u64,
        bytes,
    }))
}

/// A master file kept with a restored data set ([`WorkspaceMaster`]), its bytes out of their
/// base64 (a 33 MB file's 44 MB of base64 took the page's thread 60 ms or more to decode).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestoredMaster {
    /// The file's name.
    pub file_name: String,
    /// How it was read.
    pub options: MasterOptions,
    /// The file's bytes: the frame's body ([`Response::to_frame`]), copied once into the page
    /// (in the head, postcard wrote a varint a byte, and the page copied the frame, then the
    /// bytes out of it: one task of 45–57 ms for a 33 MB file).
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

impl RestoredMaster {
    /// The master file `kept` in a workspace.
    ///
    /// # Errors
    /// As [`WorkspaceMaster::file_bytes`].
    pub fn of(kept: WorkspaceMaster) -> Result<RestoredMaster, Error> {
        Ok(RestoredMaster {
            bytes: kept.file_bytes()?,
            file_name: kept.file_name,
            options: kept.options,
        })
    }
}

impl Restored {
    /// The frame of `response`, which is `Restored(self)`: its head (the master file's bytes
    /// are not serialized) and, as the body, the master file's bytes, if any.
    ///
    /// # Errors
    /// Postcard's.
    pub(super) fn frame(
        &self,
        response: &Response,
        generation: u64,
    ) -> Result<Vec<u8>, postcard::Error> {
        let master = self.master.as_ref().map_or(&[][..], |m| m.bytes.as_slice());
        let survey = self.survey.as_ref().map_or(&[][..], |s| s.bytes.as_slice());
        let (mut frame, start) = frame::with_body(Kind::Restored, generation, response, |start| {
            start.checked_add(master.len())?.checked_add(survey.len())
        })?;
        let body = frame.get_mut(start..);
        if let Some(body) = body.filter(|b| b.len() == master.len() + survey.len()) {
            let (master_out, survey_out) = body.split_at_mut(master.len());
            master_out.copy_from_slice(master);
            survey_out.copy_from_slice(survey);
        }
        Ok(frame)
    }

    /// From a frame made by [`Response::to_frame`], its head and body copied once.
    ///
    /// # Errors
    /// [`Error::Format`] for a frame of another kind, or one that does not decode.
    pub fn from_frame(bytes: &(impl Bytes + ?Sized)) -> Result<Restored, Error> {
        let what = FormatSubject::Response;
        let (head, body_start) = frame::head_bytes(bytes, what)?;
        let mut restored = match postcard::from_bytes::<Response>(&head) {
            Ok(Response::Restored(restored)) => *restored,
            Ok(_) => return Err(unreadable(what, "not a restored workspace")),
            Err(error) => return Err(unreadable(what, error)),
        };
        let body = bytes.byte_len().saturating_sub(body_start);
        // The master file's bytes, then the survey file's.
        let survey_len = restored.survey.as_ref().map_or(0, |s| s.len);
        let master_len = usize::try_from(survey_len)
            .ok()
            .and_then(|len| body.checked_sub(len))
            .ok_or_else(|| unreadable(what, "a survey file longer than the body"))?;
        match &mut restored.master {
            Some(master) => {
                master.bytes = vec![0; master_len];
                bytes.read_u8(body_start, &mut master.bytes);
            }
            None if master_len > 0 => return Err(unreadable(what, "a body without a master file")),
            None => {}
        }
        if let Some(survey) = &mut restored.survey {
            survey.bytes = vec![0; body - master_len];
            bytes.read_u8(body_start + master_len, &mut survey.bytes);
        }
        Ok(restored)
    }
}

/// Reads `bytes` (UTF-8; a byte that is not is read as U+FFFD, as the browser's `Blob.text()`
/// reads it) as `from` says, checking everything as [`Workspace::from_json`] does: the small
/// part and, with a data set, the finished import to hand to the page.
///
/// # Errors
/// As [`Workspace::from_json`].
pub fn restore(
    bytes: &[u8],
    from: RestoreFrom,
) -> Result<(Restored, Option<Finished<FlatCustomers>>), Error> {
    let text = String::from_utf8_lossy(bytes);
    let (workspace, survey, data) = match from {
        RestoreFrom::WorkspaceFile => {
            let (mut workspace, data) = Workspace::read_apart(&text)?;
            let survey = take_survey_file(&mut workspace)?;
            (Some(workspace.to_json()?), survey, data)
        }
        RestoreFrom::SessionData => (None, None, Some(DataApart::from_record(&text)?)),
    };
    drop(text);
    let Some(data) = data else {
        let restored = Restored {
            workspace,
            file_name: None,
            master: None,
            survey,
        };
        return Ok((restored, None));
    };
    let master = data.master.map(RestoredMaster::of).transpose()?;
    let restored = Restored {
        workspace,
        file_name: Some(data.file_name),
        master,
        survey,
    };
    Ok((restored, Some(Finished::new(data.outcome).into_flat())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ingest::{import_bytes, InspectOptions};
    use crate::engine::master::MasterOptions;
    use crate::engine::workspace::{WorkspaceData, WorkspaceMaster};
    use crate::protocol::handoff::Finished;

    fn outcome_of(csv: &str) -> crate::engine::ingest::ImportOutcome {
        import_bytes(csv.as_bytes(), &InspectOptions::default()).unwrap()
    }

    /// What the page decodes from the worker's answer: the small part and the customers.
    fn through_frames(
        bytes: &[u8],
        from: RestoreFrom,
    ) -> (Restored, Option<crate::engine::ingest::ImportOutcome>) {
        let (restored, finished) = restore(bytes, from).unwrap();
        let outcome = finished.map(|finished| {
            let frame = finished.into_frame(3);
            Finished::decode(frame.as_slice()).unwrap().into_parts().0
        });
        (restored, outcome)
    }

    const ORDERS: &str = "customer,date,amount,region\nA,2024-01-05,5,North\n\
        B,2024-02-01,7.25,South\nA,2024-03-01,1,North\nC,2023-12-30,12.5,\n";

    /// A workspace file with data comes back, through the worker's frames, as the page read it
    /// before: the same workspace, the same customers, days and attributes, the same master.
    #[test]
    fn a_workspace_file_read_in_the_worker_is_the_file_read_on_the_page() {
        let outcome = outcome_of(ORDERS);
        let master_bytes = b"customer,tier\nA,gold\nB,silver\n";
        let mut data = WorkspaceData::from_outcome("orders.csv", &outcome);
        data.master = Some(WorkspaceMaster::new(
            "master.csv",
            &MasterOptions::default(),
            master_bytes,
        ));
        let mut whole = Workspace {
            data: Some(data.clone()),
            ..Workspace::default()
        };
        whole.cover.title = "Q4 \"review\"".into();
        let text = whole.to_json().unwrap();
        let on_the_page = Workspace::from_json(&text).unwrap();

        let (restored, back) = through_frames(text.as_bytes(), RestoreFrom::WorkspaceFile);
        let workspace = Workspace::from_json(restored.workspace.as_deref().unwrap()).unwrap();
        assert_eq!(
            workspace,
            Workspace {
                data: None,
                ..on_the_page.clone()
            }
        );
        assert_eq!(restored.file_name.as_deref(), Some("orders.csv"));
        let master = restored.master.unwrap();
        let kept = data.master.as_ref().unwrap();
        assert_eq!(
            (
                master.file_name.as_str(),
                &master.options,
                &master.bytes[..]
            ),
            (kept.file_name.as_str(), &kept.options, &master_bytes[..])
        );
        let (_, want) = on_the_page.data.unwrap().into_outcome().unwrap();
        let back = back.unwrap();
        assert_eq!(back.report, want.report);
        assert_eq!(back.history, want.history);
        assert_eq!(back.attributes, want.attributes);
        assert_eq!(back.table.customers.len(), want.table.customers.len());
        for (got, want) in back.table.customers.iter().zip(&want.table.customers) {
            assert_eq!(
                (&got.id, got.rows, got.orders, got.returns),
                (&want.id, want.rows, want.orders, want.returns)
            );
            assert_eq!((got.sales, got.profit), (want.sales, want.profit));
            assert_eq!((got.first, got.last), (want.first, want.last));
            // Kept in the file, read from the purchase days after the frame: the same sums.
            assert_eq!(got.months.to_vec(), want.months.to_vec());
        }
    }

    /// A workspace file without data answers its small part only; the session's data record
    /// comes back as the import it was written from.
    #[test]
    fn a_file_without_data_and_a_session_record_come_back() {
        let bare = Workspace::default().to_json().unwrap();
        let (restored, back) = through_frames(bare.as_bytes(), RestoreFrom::WorkspaceFile);
        assert!(back.is_none());
        assert_eq!(restored.file_name, None);
        assert_eq!(
            Workspace::from_json(restored.workspace.as_deref().unwrap()).unwrap(),
            Workspace::from_json(&bare).unwrap()
        );

        let outcome = outcome_of(ORDERS);
        let record =
            serde_json::to_string(&WorkspaceData::from_outcome("o.csv", &outcome)).unwrap();
        let (restored, back) = through_frames(record.as_bytes(), RestoreFrom::SessionData);
        assert_eq!(restored.workspace, None);
        assert_eq!(restored.file_name.as_deref(), Some("o.csv"));
        let back = back.unwrap();
        assert_eq!(back.table.customers.len(), outcome.table.customers.len());
        assert_eq!(back.history, outcome.history);
    }

    /// A restored master's bytes travel as they are, in the frame's body, and come back the
    /// same; a frame with a body but no master is refused.
    #[test]
    fn a_restored_masters_bytes_travel_as_they_are() {
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7919 % 256) as u8).collect();
        let response = crate::protocol::Response::Restored(Box::new(Restored {
            workspace: None,
            file_name: Some("o.csv".into()),
            master: Some(RestoredMaster {
                file_name: "客户.csv".into(),
                options: MasterOptions::default(),
                bytes: bytes.clone(),
            }),
            survey: None,
        }));
        let frame = response.to_frame(7);
        assert!(frame.len() < bytes.len() + 200, "{} bytes", frame.len());
        let back = crate::protocol::Response::from_frame(&frame)
            .unwrap()
            .message;
        assert_eq!(back, response);
    }

    /// A workspace file with a survey file comes back with the survey taken out of the
    /// workspace and its file's bytes after the master's in the frame's body, each the same;
    /// a survey longer than the body is refused.
    #[test]
    fn a_kept_survey_file_travels_after_the_master() {
        use crate::engine::survey::{Combine, SurveyOptions};
        use crate::engine::workspace::WorkspaceSurveyFile;
        let survey_bytes = "customer,nps\nC1,9\nC2,3\n".as_bytes();
        let options = SurveyOptions {
            combine: Combine::Mean,
            ..SurveyOptions::default()
        };
        let config = LoyaltyConfig {
            long_term_days: 200,
            ..LoyaltyConfig::default()
        };
        let outcome = outcome_of(ORDERS);
        for with_data in [false, true] {
            let mut data = WorkspaceData::from_outcome("orders.csv", &outcome);
            data.master = Some(WorkspaceMaster::new(
                "master.csv",
                &MasterOptions::default(),
                b"customer,tier\nA,gold\n",
            ));
            let workspace = Workspace {
                data: with_data.then_some(data),
                survey: Some(WorkspaceSurvey {
                    file_name: "调查.csv".into(),
                    survey: None,
                    config: config.clone(),
                    file: Some(WorkspaceSurveyFile::new(&options, survey_bytes)),
                }),
                ..Workspace::default()
            };
            let text = workspace.to_json().unwrap();
            let (restored, _) = restore(text.as_bytes(), RestoreFrom::WorkspaceFile).unwrap();
            let response = Response::Restored(Box::new(restored));
            let Response::Restored(back) =
                Response::from_frame(&response.to_frame(2)).unwrap().message
            else {
                panic!("not restored");
            };
            assert_eq!(Response::Restored(back.clone()), response);
            let kept = Workspace::from_json(back.workspace.as_deref().unwrap()).unwrap();
            assert_eq!(kept.survey, None, "taken out of the workspace");
            let survey = back.survey.unwrap();
            assert_eq!(survey.file_name, "调查.csv");
            assert_eq!(
                (survey.options, survey.config),
                (options.clone(), config.clone())
            );
            assert_eq!(survey.bytes, survey_bytes);
            assert_eq!(
                back.master.map(|m| m.bytes),
                with_data.then(|| b"customer,tier\nA,gold\n".to_vec())
            );
        }
        let too_long = Response::Restored(Box::new(Restored {
            workspace: None,
            file_name: None,
            master: None,
            survey: Some(RestoredSurvey {
                file_name: "s.csv".into(),
                options: SurveyOptions::default(),
                config: LoyaltyConfig::default(),
                len: 10,
                bytes: vec![1, 2, 3],
            }),
        }));
        assert!(Response::from_frame(&too_long.to_frame(2)).is_err());
    }

    /// What the page refused before, the worker refuses with the same error: a file cut off,
    /// one of another format, figures that do not add up, an empty one.
    #[test]
    fn a_bad_file_is_refused_as_on_the_page() {
        let outcome = outcome_of(ORDERS);
        let mut data = WorkspaceData::from_outcome("orders.csv", &outcome);
        let good = Workspace {
            data: Some(data.clone()),
            ..Workspace::default()
        }
        .to_json()
        .unwrap();
        data.customers.rows[0] = 0;
        let bad_figures = Workspace {
            data: Some(data),
            ..Workspace::default()
        }
        .to_json()
        .unwrap();
        let half = (good.len() / 2..)
            .find(|&i| good.is_char_boundary(i))
            .unwrap();
        let cut = &good[..half];
        let other = r#"{"format":"something-else","version":1}"#;
        for text in [cut, other, &bad_figures, "", "\u{feff}  "] {
            let want = Workspace::from_json(text).unwrap_err();
            let got = restore(text.as_bytes(), RestoreFrom::WorkspaceFile).unwrap_err();
            assert_eq!(got, want, "{text:.60}");
        }
        assert!(restore(b"{\"customers\":", RestoreFrom::SessionData).is_err());
    }
}
