//! The generated bindings: one module per schema (`requester` from the WSDL,
//! `question_form`, `question_form_answers`, `answer_key`, `external_question`,
//! `html_question`). See `codegen/` and `build.rs`.

include!(concat!(env!("OUT_DIR"), "/mturk.rs"));

#[cfg(test)]
mod tests {
    use super::requester::*;
    use crate::binding::params::Params;
    use crate::binding::{Context, FromParams, Input, OpError};
    use crate::xml::{self, Decode, DecodeError, Encode, ParseLimits, Scalar, Writer};
    use chrono::{TimeZone, Utc};
    use rust_decimal::Decimal;
    use std::sync::Mutex;

    /// The generated code for the codegen's fixtures must compile against the runtime.
    #[allow(dead_code, unreachable_pub)]
    mod fixture_xsd {
        include!("../codegen/tests/fixtures/mini_xsd.rs.golden");
    }
    #[allow(dead_code, unreachable_pub)]
    mod fixture_wsdl {
        include!("../codegen/tests/fixtures/mini_wsdl.rs.golden");
    }
    #[allow(dead_code, unreachable_pub)]
    mod fixture_versions {
        include!("../codegen/tests/fixtures/mini_versions.rs.golden");
    }

    fn parse(s: &str) -> xml::Element {
        xml::parse(s.as_bytes(), &ParseLimits::default()).unwrap()
    }

    fn round_trip<T: Encode + Decode + PartialEq + std::fmt::Debug>(
        v: &T,
        name: &str,
        ns: &str,
    ) -> String {
        let doc = xml::encode_document(v, name, ns);
        let back = T::decode(&parse(&doc)).unwrap_or_else(|e| panic!("{e}\n{doc}"));
        assert_eq!(&back, v, "{doc}");
        doc
    }

    fn dec(s: &str) -> Decimal {
        Decimal::parse_xml(s).unwrap()
    }

    fn sample_request() -> CreateHITRequest {
        CreateHITRequest {
            max_assignments: Some(3),
            lifetime_in_seconds: 3600,
            reward: Some(Price {
                amount: dec("0.32"),
                currency_code: "USD".into(),
                formatted_price: None,
            }),
            title: Some("Tag <images> & \"more\"".into()),
            question: Some("<QuestionForm xmlns=\"x\"><Overview/></QuestionForm>".into()),
            qualification_requirement: vec![
                QualificationRequirement {
                    qualification_type_id: "00000000000000000071".into(),
                    comparator: Comparator::In,
                    locale_value: vec![
                        Locale {
                            country: Some("US".into()),
                            subdivision: None,
                        },
                        Locale {
                            country: Some("DE".into()),
                            subdivision: Some("BY".into()),
                        },
                    ],
                    ..Default::default()
                },
                QualificationRequirement {
                    qualification_type_id: "Q2".into(),
                    comparator: Comparator::GreaterThan,
                    integer_value: vec![80],
                    required_to_preview: Some(true),
                    ..Default::default()
                },
            ],
            hit_layout_parameter: vec![HITLayoutParameter {
                name: "image".into(),
                value: "a.png".into(),
            }],
            response_group: vec!["Minimal".into(), "Request".into()],
            ..Default::default()
        }
    }

    #[test]
    fn requester_types_round_trip() {
        let req = sample_request();
        let doc = round_trip(&req, "Request", NAMESPACE);
        assert!(doc.starts_with(&format!("<Request xmlns=\"{NAMESPACE}\"><MaxAssignments>3</MaxAssignments><LifetimeInSeconds>3600</LifetimeInSeconds><Reward><Amount>0.32</Amount>")), "{doc}");
        assert!(doc.contains("<Title>Tag &lt;images&gt; &amp; &quot;more&quot;</Title>"));

        let hit = HIT {
            request: Some(Request {
                is_valid: Some("True".into()),
                create_hit_request: Some(req),
                ..Default::default()
            }),
            hit_id: Some("3WV80UW08Y4VD8LBFL8W0CY4E4CW55".into()),
            creation_time: Some(Utc.with_ymd_and_hms(2026, 11, 22, 9, 45, 43).unwrap()),
            hit_status: Some(HITStatus::Assignable),
            hit_review_status: Some(HITReviewStatus::NotReviewed),
            number_of_assignments_pending: Some(0),
            ..Default::default()
        };
        let doc = round_trip(&hit, "HIT", NAMESPACE);
        assert!(doc.contains("<CreationTime>2026-11-22T09:45:43Z</CreationTime><HITStatus>Assignable</HITStatus>"), "{doc}");

        let stat = GetStatisticResult {
            data_point: vec![DataPoint {
                date: Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap(),
                long_value: None,
                double_value: Some(0.5),
            }],
            statistic: Some(RequesterStatistic::NumberHitsAssignable),
            time_period: Some(TimePeriod::LifeToDate),
            ..Default::default()
        };
        let doc = round_trip(&stat, "GetStatisticResult", NAMESPACE);
        assert!(
            doc.contains("<Statistic>NumberHITsAssignable</Statistic>"),
            "{doc}"
        );

        let op = OperationRequest {
            http_headers: Some(HTTPHeaders {
                header: vec![HTTPHeadersHeader {
                    name: "User-Agent".into(),
                    value: "x\"y".into(),
                }],
            }),
            request_id: Some("r-1".into()),
            arguments: None,
            errors: Some(Errors {
                error: vec![ErrorsError {
                    code: OpError::InvalidParameterValue("bad <value>".into())
                        .code()
                        .to_string(),
                    message: "bad <value>".into(),
                    data: vec![KeyValuePair {
                        key: "HITId".into(),
                        value: "H".into(),
                    }],
                }],
            }),
        };
        let doc = round_trip(&op, "OperationRequest", NAMESPACE);
        assert!(
            doc.contains("<Header Name=\"User-Agent\" Value=\"x&quot;y\"></Header>"),
            "{doc}"
        );
        assert!(
            doc.contains("<Errors><Error><Code>AWS.MechanicalTurk.InvalidParameterValue</Code>"),
            "{doc}"
        );
    }

    #[test]
    fn enums_have_the_contract_api() {
        assert_eq!(Comparator::ALL.len(), 10);
        assert_eq!(Comparator::default(), Comparator::LessThan);
        assert_eq!(Comparator::parse("NotIn"), Some(Comparator::NotIn));
        assert_eq!(Comparator::parse("notin"), None);
        assert_eq!(EventType::HitCreated.as_str(), "HITCreated");
        assert_eq!(
            HelpRequestHelpType::parse("Operation"),
            Some(HelpRequestHelpType::Operation)
        );
        assert_eq!(
            super::question_form::SelectionAnswerTypeStyleSuggestion::Radiobutton.as_str(),
            "radiobutton"
        );
        assert_eq!(
            super::question_form::MimeTypeType::parse("image"),
            Some(super::question_form::MimeTypeType::Image)
        );
        for op in Operation::ALL {
            assert_eq!(Operation::from_name(op.name()), Some(*op));
            assert_eq!(op.response_element(), format!("{}Response", op.name()));
        }
        assert_eq!(Operation::ALL.len(), 44);
        assert_eq!(Operation::ALL[0], Operation::CreateHIT);
        assert_eq!(Operation::from_name("Nope"), None);
    }

    #[test]
    fn decoding_is_namespace_aware_order_tolerant_and_strict() {
        let old = "http://requester.mturk.amazonaws.com/doc/2012-03-25";
        let doc = format!(
            r#"<m:Request xmlns:m="{old}"><m:Title>t</m:Title><m:LifetimeInSeconds> 60 </m:LifetimeInSeconds><m:MaxAssignments/></m:Request>"#
        );
        let r = CreateHITRequest::decode(&parse(&doc)).unwrap();
        assert_eq!(
            (r.lifetime_in_seconds, r.title.as_deref(), r.max_assignments),
            (60, Some("t"), None)
        );

        let err = |body: &str| {
            CreateHITRequest::decode(&parse(&format!(
                r#"<Request xmlns="{NAMESPACE}">{body}</Request>"#
            )))
            .unwrap_err()
        };
        assert_eq!(
            err("<Title>t</Title>").to_string(),
            "Element Request is missing required element LifetimeInSeconds"
        );
        assert!(matches!(
            err("<LifetimeInSeconds>1</LifetimeInSeconds><Bogus/>"),
            DecodeError::Unexpected { .. }
        ));
        assert!(matches!(
            err(r#"<LifetimeInSeconds>1</LifetimeInSeconds><Title xmlns="urn:other">t</Title>"#),
            DecodeError::Unexpected { .. }
        ));
        assert!(matches!(
            err("<LifetimeInSeconds>1</LifetimeInSeconds><LifetimeInSeconds>2</LifetimeInSeconds>"),
            DecodeError::Duplicate { .. }
        ));
        assert_eq!(
            err("<LifetimeInSeconds>1</LifetimeInSeconds><MaxAssignments>abc</MaxAssignments>")
                .to_string(),
            "Value 'abc' of element Request/MaxAssignments is not a valid xs:int"
        );
        let e = err("<LifetimeInSeconds>1</LifetimeInSeconds><QualificationRequirement><QualificationTypeId>q</QualificationTypeId><Comparator>Bigger</Comparator></QualificationRequirement>");
        assert_eq!(e.to_string(), "Value 'Bigger' of element Request/QualificationRequirement/Comparator is not a valid Comparator");

        // A question sent unescaped arrives as child elements; the string is the re-serialised XML.
        let q = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/ExternalQuestion.xsd";
        let doc = format!(
            r#"<Request xmlns="{NAMESPACE}"><LifetimeInSeconds>1</LifetimeInSeconds><Question><ExternalQuestion xmlns="{q}"><ExternalURL>https://x/?a=1&amp;b=2</ExternalURL><FrameHeight>400</FrameHeight></ExternalQuestion></Question></Request>"#
        );
        let r = CreateHITRequest::decode(&parse(&doc)).unwrap();
        let question = r.question.unwrap();
        let eq = super::external_question::ExternalQuestion::decode(&parse(&question)).unwrap();
        assert_eq!(eq.external_url, "https://x/?a=1&b=2");
        assert_eq!(eq.frame_height, 400);
    }

    #[test]
    fn data_schemas_decode_and_round_trip() {
        use super::question_form::*;
        let doc = format!(
            r#"<QuestionForm xmlns="{}">
              <Overview><Title>Hi</Title><Text>Read</Text></Overview>
              <Question>
                <QuestionIdentifier>q1</QuestionIdentifier>
                <IsRequired>true</IsRequired>
                <QuestionContent><Text>Pick</Text><FormattedContent><![CDATA[<p>x</p>]]></FormattedContent></QuestionContent>
                <AnswerSpecification>
                  <SelectionAnswer>
                    <StyleSuggestion>radiobutton</StyleSuggestion>
                    <Selections>
                      <Selection><SelectionIdentifier>a</SelectionIdentifier><Text>A</Text></Selection>
                      <Selection><SelectionIdentifier>b</SelectionIdentifier><Text>B</Text></Selection>
                    </Selections>
                  </SelectionAnswer>
                </AnswerSpecification>
              </Question>
              <Question>
                <QuestionIdentifier>q2</QuestionIdentifier>
                <QuestionContent><Text>Say</Text></QuestionContent>
                <AnswerSpecification><FreeTextAnswer><Constraints><IsNumeric minValue="1" maxValue="9"/><Length maxLength="5"/></Constraints></FreeTextAnswer></AnswerSpecification>
              </Question>
            </QuestionForm>"#,
            super::question_form::NAMESPACE
        );
        let form = QuestionForm::decode(&parse(&doc)).unwrap();
        assert_eq!(form.overview.len(), 1);
        assert_eq!(form.question.len(), 2);
        let sel = form.question[0]
            .answer_specification
            .selection_answer
            .as_ref()
            .unwrap();
        assert_eq!(
            sel.style_suggestion,
            Some(SelectionAnswerTypeStyleSuggestion::Radiobutton)
        );
        assert_eq!(sel.selections.selection[1].text.as_deref(), Some("B"));
        assert_eq!(
            form.question[0].question_content.formatted_content,
            vec!["<p>x</p>".to_string()]
        );
        let c = form.question[1]
            .answer_specification
            .free_text_answer
            .as_ref()
            .unwrap()
            .constraints
            .as_ref()
            .unwrap();
        assert_eq!(c.is_numeric.as_ref().unwrap().min_value, Some(1));
        assert_eq!(c.length.as_ref().unwrap().max_length, Some(5));
        round_trip(&form, "QuestionForm", super::question_form::NAMESPACE);

        use super::question_form_answers::*;
        let answers = QuestionFormAnswers {
            answer: vec![
                QuestionFormAnswersAnswer {
                    question_identifier: "q1".into(),
                    selection_identifier: vec!["a".into(), "b".into()],
                    ..Default::default()
                },
                QuestionFormAnswersAnswer {
                    question_identifier: "q2".into(),
                    free_text: Some("hello".into()),
                    ..Default::default()
                },
            ],
        };
        let doc = round_trip(
            &answers,
            "QuestionFormAnswers",
            super::question_form_answers::NAMESPACE,
        );
        assert!(doc.contains("<Answer><QuestionIdentifier>q1</QuestionIdentifier><SelectionIdentifier>a</SelectionIdentifier><SelectionIdentifier>b</SelectionIdentifier></Answer>"), "{doc}");
    }

    #[test]
    fn rest_params_decode() {
        let p = Params::parse(
            "Operation=CreateHIT&LifetimeInSeconds=3600&MaxAssignments=3&Title=Tag+%3Cimages%3E+%26+%22more%22\
             &Question=%3CQuestionForm+xmlns%3D%22x%22%3E%3COverview%2F%3E%3C%2FQuestionForm%3E\
             &Reward.1.Amount=0.32&Reward.1.CurrencyCode=USD&AutoApprovalDelayInSeconds=\
             &QualificationRequirement.1.QualificationTypeId=00000000000000000071&QualificationRequirement.1.Comparator=In\
             &QualificationRequirement.1.LocaleValue.1.Country=US\
             &QualificationRequirement.1.LocaleValue.2.Country=DE&QualificationRequirement.1.LocaleValue.2.Subdivision=BY\
             &QualificationRequirement.2.QualificationTypeId=Q2&QualificationRequirement.2.Comparator=GreaterThan\
             &QualificationRequirement.2.IntegerValue=80&QualificationRequirement.2.RequiredToPreview=true\
             &HITLayoutParameter.1.Name=image&HITLayoutParameter.1.Value=a.png\
             &ResponseGroup.0=Minimal&ResponseGroup.1=Request",
        );
        let r = CreateHITRequest::from_params(&p.view()).unwrap();
        assert_eq!(r, sample_request());

        // Un-indexed structures, bare lists, comma-separated enumerations.
        let p = Params::parse("HITId=H&AssignmentStatus=Approved,Rejected&AssignmentStatus.2=Submitted&SortDirection=&PageSize=5");
        let r = GetAssignmentsForHITRequest::from_params(&p.view()).unwrap();
        assert_eq!(
            r.assignment_status,
            vec![
                AssignmentStatus::Approved,
                AssignmentStatus::Rejected,
                AssignmentStatus::Submitted
            ]
        );
        assert_eq!((r.sort_direction, r.page_size), (None, Some(5)));
        let p = Params::parse("WorkerId=W&AssignmentId=A&Reason=r&BonusAmount.Amount=1.00&BonusAmount.CurrencyCode=USD");
        let r = GrantBonusRequest::from_params(&p.view()).unwrap();
        assert_eq!(r.bonus_amount.amount.to_string(), "1.00");
        let p = Params::parse("HITTypeId=T&Notification.1.Destination=d&Notification.1.Transport=REST&Notification.1.Version=2006-05-05&Notification.1.EventType.1=AssignmentSubmitted&Notification.1.EventType.2=HITExpired&Active=true");
        let r = SetHITTypeNotificationRequest::from_params(&p.view()).unwrap();
        let n = r.notification.unwrap();
        assert_eq!(
            (n.transport, n.event_type),
            (
                NotificationTransport::Rest,
                vec![EventType::AssignmentSubmitted, EventType::HitExpired]
            )
        );

        // Errors.
        for (query, message) in [
            (
                "Title=x",
                "Element CreateHITRequest is missing required element LifetimeInSeconds",
            ),
            (
                "LifetimeInSeconds=1&MaxAssignments=lots",
                "Value 'lots' of element MaxAssignments is not a valid xs:int",
            ),
            (
                "LifetimeInSeconds=1&Reward.1.Amount=1",
                "Element Reward.1 is missing required element CurrencyCode",
            ),
        ] {
            let e = CreateHITRequest::from_params(&Params::parse(query).view()).unwrap_err();
            assert_eq!(e.to_string(), message);
        }
        let e = NotifyWorkersRequest::from_params(&Params::parse("Subject=s&MessageText=m").view())
            .unwrap_err();
        assert_eq!(
            e,
            DecodeError::Missing {
                parent: "NotifyWorkersRequest".into(),
                child: "WorkerId".into()
            }
        );
        let r = NotifyWorkersRequest::from_params(
            &Params::parse("MessageText=m&WorkerId.2=B&WorkerId.1=A").view(),
        )
        .unwrap();
        assert_eq!(r.worker_id, vec!["A", "B"]);
    }

    // ----- dispatch -----

    struct Stub {
        calls: Mutex<Vec<&'static str>>,
    }

    fn fail() -> OpError {
        OpError::InvalidParameterValue("stub".into())
    }

    macro_rules! stub {
        ({ $($manual:item)* } $($m:ident: $req:ident => $res:ident,)*) => {
            impl Requester for Stub {
                $($manual)*
                $(fn $m(&self, _ctx: &Context, _req: $req) -> Result<$res, OpError> {
                    self.calls.lock().unwrap().push(stringify!($m));
                    Err(fail())
                })*
            }
        };
    }

    stub! {
        {
            fn create_hit(&self, _ctx: &Context, req: CreateHITRequest) -> Result<HIT, OpError> {
                self.calls.lock().unwrap().push("create_hit");
                if req.title.as_deref() == Some("fail") {
                    return Err(OpError::InvalidParameterValue("Title is bad".into()));
                }
                Ok(HIT { hit_id: Some("H1".into()), title: req.title, ..Default::default() })
            }
        }
        register_hit_type: RegisterHITTypeRequest => RegisterHITTypeResult,
        set_hit_type_notification: SetHITTypeNotificationRequest => SetHITTypeNotificationResult,
        send_test_event_notification: SendTestEventNotificationRequest => SendTestEventNotificationResult,
        dispose_hit: DisposeHITRequest => DisposeHITResult,
        disable_hit: DisableHITRequest => DisableHITResult,
        get_hit: GetHITRequest => HIT,
        get_assignment: GetAssignmentRequest => GetAssignmentResult,
        get_review_results_for_hit: GetReviewResultsForHITRequest => GetReviewResultsForHITResult,
        get_reviewable_hits: GetReviewableHITsRequest => GetReviewableHITsResult,
        get_hits_for_qualification_type: GetHITsForQualificationTypeRequest => GetHITsForQualificationTypeResult,
        get_qualifications_for_qualification_type: GetQualificationsForQualificationTypeRequest => GetQualificationsForQualificationTypeResult,
        set_hit_as_reviewing: SetHITAsReviewingRequest => SetHITAsReviewingResult,
        extend_hit: ExtendHITRequest => ExtendHITResult,
        force_expire_hit: ForceExpireHITRequest => ForceExpireHITResult,
        approve_assignment: ApproveAssignmentRequest => ApproveAssignmentResult,
        reject_assignment: RejectAssignmentRequest => RejectAssignmentResult,
        approve_rejected_assignment: ApproveRejectedAssignmentRequest => ApproveRejectedAssignmentResult,
        get_assignments_for_hit: GetAssignmentsForHITRequest => GetAssignmentsForHITResult,
        get_file_upload_url: GetFileUploadURLRequest => GetFileUploadURLResult,
        search_hits: SearchHITsRequest => SearchHITsResult,
        grant_bonus: GrantBonusRequest => GrantBonusResult,
        get_bonus_payments: GetBonusPaymentsRequest => GetBonusPaymentsResult,
        change_hit_type_of_hit: ChangeHITTypeOfHITRequest => ChangeHITTypeOfHITResult,
        create_qualification_type: CreateQualificationTypeRequest => QualificationType,
        grant_qualification: GrantQualificationRequest => GrantQualificationResult,
        assign_qualification: AssignQualificationRequest => AssignQualificationResult,
        revoke_qualification: RevokeQualificationRequest => RevokeQualificationResult,
        get_qualification_type: GetQualificationTypeRequest => QualificationType,
        get_qualification_requests: GetQualificationRequestsRequest => GetQualificationRequestsResult,
        reject_qualification_request: RejectQualificationRequestRequest => RejectQualificationRequestResult,
        update_qualification_type: UpdateQualificationTypeRequest => QualificationType,
        search_qualification_types: SearchQualificationTypesRequest => SearchQualificationTypesResult,
        get_qualification_score: GetQualificationScoreRequest => Qualification,
        update_qualification_score: UpdateQualificationScoreRequest => UpdateQualificationScoreResult,
        dispose_qualification_type: DisposeQualificationTypeRequest => DisposeQualificationTypeResult,
        get_requester_statistic: GetRequesterStatisticRequest => GetStatisticResult,
        get_requester_worker_statistic: GetRequesterWorkerStatisticRequest => GetStatisticResult,
        notify_workers: NotifyWorkersRequest => NotifyWorkersResult,
        get_account_balance: GetAccountBalanceRequest => GetAccountBalanceResult,
        get_blocked_workers: GetBlockedWorkersRequest => GetBlockedWorkersResult,
        block_worker: BlockWorkerRequest => BlockWorkerResult,
        unblock_worker: UnblockWorkerRequest => UnblockWorkerResult,
        help: HelpRequest => Information,
    }

    fn ctx() -> Context {
        Context {
            requester: "AKID".into(),
            request_id: "req-1".into(),
            now: chrono::Utc::now(),
        }
    }

    #[test]
    fn dispatch_soap_input() {
        let stub = Stub {
            calls: Mutex::new(Vec::new()),
        };
        let body = format!(
            r#"<ns1:CreateHIT xmlns:ns1="{NAMESPACE}">
                 <ns1:Request><ns1:LifetimeInSeconds>60</ns1:LifetimeInSeconds><ns1:Title>ok</ns1:Title><ns1:ResponseGroup>Request</ns1:ResponseGroup></ns1:Request>
                 <ns1:Request><ns1:LifetimeInSeconds>60</ns1:LifetimeInSeconds><ns1:Title>fail</ns1:Title></ns1:Request>
                 <ns1:AWSAccessKeyId>AKID</ns1:AWSAccessKeyId><ns1:Timestamp>2026-11-22T09:45:43.000Z</ns1:Timestamp><ns1:Signature>s</ns1:Signature>
               </ns1:CreateHIT>"#
        );
        let el = parse(&body);
        let mut w = Writer::new();
        dispatch(
            &stub,
            &ctx(),
            Operation::CreateHIT,
            Input::Xml(&el),
            &mut w,
            Some(NAMESPACE),
        )
        .unwrap();
        assert_eq!(*stub.calls.lock().unwrap(), ["create_hit", "create_hit"]);
        let out = w.into_string();
        assert!(out.starts_with(&format!(
            "<CreateHITResponse xmlns=\"{NAMESPACE}\"><OperationRequest><RequestId>req-1</RequestId></OperationRequest><HIT><Request><IsValid>True</IsValid><CreateHITRequest><LifetimeInSeconds>60</LifetimeInSeconds><Title>ok</Title><ResponseGroup>Request</ResponseGroup></CreateHITRequest></Request><HITId>H1</HITId><Title>ok</Title></HIT>"
        )), "{out}");
        assert!(out.contains("<HIT><Request><IsValid>False</IsValid><Errors><Error><Code>AWS.MechanicalTurk.InvalidParameterValue</Code><Message>Title is bad"), "{out}");
        assert!(
            out.ends_with("</Message></Error></Errors></Request></HIT></CreateHITResponse>"),
            "{out}"
        );
        let resp = CreateHITResponse::decode(&parse(&out)).unwrap();
        assert_eq!(resp.hit.len(), 2);

        // A request that does not decode is answered invalid by itself; the others still run.
        let stub = Stub {
            calls: Mutex::new(Vec::new()),
        };
        let bad = body.replace(
            "<ns1:Title>fail</ns1:Title>",
            "<ns1:MaxAssignments>x</ns1:MaxAssignments>",
        );
        let mut w = Writer::new();
        dispatch(
            &stub,
            &ctx(),
            Operation::CreateHIT,
            Input::Xml(&parse(&bad)),
            &mut w,
            Some(NAMESPACE),
        )
        .unwrap();
        assert_eq!(*stub.calls.lock().unwrap(), ["create_hit"]);
        let out = w.into_string();
        assert!(out.contains("<HIT><Request><IsValid>False</IsValid><Errors><Error><Code>AWS.MechanicalTurk.InvalidParameterValue</Code><Message>The value &quot;x&quot; is invalid for MaxAssignments"), "{out}");
        assert_eq!(out.matches("<HIT>").count(), 2, "{out}");

        // Outside the requests, a call that does not match the schema is refused whole.
        let stub = Stub {
            calls: Mutex::new(Vec::new()),
        };
        let stray = body.replace("<ns1:Signature>s</ns1:Signature>", "<ns1:Stray/>");
        let mut w = Writer::new();
        let e = dispatch(
            &stub,
            &ctx(),
            Operation::CreateHIT,
            Input::Xml(&parse(&stray)),
            &mut w,
            Some(NAMESPACE),
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                DecodeError::Unexpected { .. } | DecodeError::Missing { .. }
            ),
            "{e}"
        );
        assert!(stub.calls.lock().unwrap().is_empty());
        assert!(w.as_str().is_empty());
    }

    #[test]
    fn dispatch_rest_input() {
        let stub = Stub {
            calls: Mutex::new(Vec::new()),
        };
        let p = Params::parse("Operation=GetFileUploadURL&AssignmentId=A&QuestionIdentifier=q");
        let view = p.view();
        let mut w = Writer::new();
        dispatch(
            &stub,
            &ctx(),
            Operation::GetFileUploadURL,
            Input::Params(std::slice::from_ref(&view)),
            &mut w,
            None,
        )
        .unwrap();
        assert_eq!(*stub.calls.lock().unwrap(), ["get_file_upload_url"]);
        let out = w.into_string();
        assert!(out.starts_with(
            "<GetFileUploadURLResponse><OperationRequest><RequestId>req-1</RequestId></OperationRequest><GetFileUploadURLResult><Request><IsValid>False</IsValid><Errors><Error><Code>AWS.MechanicalTurk.InvalidParameterValue</Code><Message>stub"
        ), "{out}");
        assert!(out.ends_with("</Message></Error></Errors></Request><FileUploadURL></FileUploadURL></GetFileUploadURLResult></GetFileUploadURLResponse>"), "{out}");
        // A missing parameter is the request's own error, named as the documentation names it.
        let p = Params::parse("Operation=GetHIT");
        let view = p.view();
        let mut w = Writer::new();
        dispatch(
            &stub,
            &ctx(),
            Operation::GetHIT,
            Input::Params(std::slice::from_ref(&view)),
            &mut w,
            None,
        )
        .unwrap();
        let out = w.into_string();
        assert!(out.contains("<HIT><Request><IsValid>False</IsValid><Errors><Error><Code>AWS.MissingParameters</Code><Message>Your request is missing required parameters. Required parameters include HITId. ("), "{out}");
        assert_eq!(*stub.calls.lock().unwrap(), ["get_file_upload_url"]);
    }
}
