use super::*;

const QF: &str = question_form::NAMESPACE;
const REQ: &str = crate::model::requester::NAMESPACE;

fn issues(doc: &str) -> Vec<Issue> {
    match validate_bytes(doc.as_bytes()) {
        Ok((_, issues)) => issues,
        Err(e) => panic!("unusable: {e}\n{doc}"),
    }
}

fn messages(doc: &str) -> Vec<String> {
    issues(doc).into_iter().map(|i| i.message).collect()
}

/// Validates `doc` against a schema compiled from `xsd` alone.
fn with_schema(xsd: &str, doc: &str) -> Vec<String> {
    let set = compile::compile(&[xsd]).unwrap_or_else(|e| panic!("{e}"));
    let root = xml::parse(doc.as_bytes(), &ParseLimits::default()).unwrap();
    validate::Validator::run(&set, &root)
        .into_iter()
        .map(|i| i.message)
        .collect()
}

fn form(body: &str) -> String {
    format!("<QuestionForm xmlns=\"{QF}\">{body}</QuestionForm>")
}

const Q: &str = "<Question><QuestionIdentifier>q1</QuestionIdentifier><QuestionContent><Text>Why?</Text></QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question>";

#[test]
fn bundled_schemas_compile_with_every_root() {
    let set = schemas().unwrap();
    for (ns, name) in [
        (QF, "QuestionForm"),
        (question_form_answers::NAMESPACE, "QuestionFormAnswers"),
        (answer_key::NAMESPACE, "AnswerKey"),
        (external_question::NAMESPACE, "ExternalQuestion"),
        (html_question::NAMESPACE, "HTMLQuestion"),
        (XHTML_NS, "FormattedContent"),
        (SOAP_ENVELOPE_NS, "Envelope"),
        (SOAP_ENVELOPE_NS, "Fault"),
        (REQ, "CreateHIT"),
        (REQ, "CreateHITResponse"),
        (REQ, "GetAccountBalanceResponse"),
        (REQ, "Errors"),
    ] {
        assert!(set.global_element(Some(ns), name).is_some(), "{name}");
    }
}

#[test]
fn valid_documents_of_each_kind() {
    assert_eq!(issues(&form(Q)), vec![]);
    let ext = format!(
        "<ExternalQuestion xmlns=\"{}\"><ExternalURL>https://example.com/q?a=1&amp;b=2</ExternalURL><FrameHeight>400</FrameHeight></ExternalQuestion>",
        external_question::NAMESPACE
    );
    assert_eq!(issues(&ext), vec![]);
    let html = format!(
        "<HTMLQuestion xmlns=\"{}\"><HTMLContent><![CDATA[<p>hi</p>]]></HTMLContent><FrameHeight>400</FrameHeight></HTMLQuestion>",
        html_question::NAMESPACE
    );
    assert_eq!(issues(&html), vec![]);
    let answers = crate::handlers::questions::answers_document([("q1", "because")]);
    assert_eq!(issues(&answers), vec![]);
    let key = format!(
        "<AnswerKey xmlns=\"{}\"><Question><QuestionIdentifier>q1</QuestionIdentifier><AnswerOption><SelectionIdentifier>a</SelectionIdentifier><AnswerScore>1</AnswerScore></AnswerOption></Question></AnswerKey>",
        answer_key::NAMESPACE
    );
    assert_eq!(issues(&key), vec![]);
}

#[test]
fn errors_carry_line_and_column() {
    let doc = format!(
        "<QuestionForm xmlns=\"{QF}\">\n  <Question>\n    <QuestionIdentifier>q1</QuestionIdentifier>\n    <IsRequired>maybe</IsRequired>\n    <Bogus/>\n  </Question>\n</QuestionForm>"
    );
    let found = issues(&doc);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].line, found[0].column), (4, 5));
    assert_eq!(
        found[0].message,
        "element 'IsRequired': 'maybe' is not a valid xs:boolean"
    );
    assert_eq!((found[1].line, found[1].column), (5, 5));
    assert!(
        found[1].message.starts_with(
            "element 'Bogus' is not allowed in 'Question'; expected 'QuestionContent'"
        ),
        "{}",
        found[1].message
    );
}

#[test]
fn missing_and_misplaced_elements() {
    let missing = form(
        "<Question><QuestionIdentifier>q</QuestionIdentifier><QuestionContent><Text>x</Text></QuestionContent></Question>",
    );
    assert_eq!(
        messages(&missing),
        vec!["element 'Question' is incomplete; expected 'AnswerSpecification'"]
    );
    let twice = form(
        "<Question><QuestionIdentifier>q</QuestionIdentifier><QuestionIdentifier>r</QuestionIdentifier><QuestionContent><Text>x</Text></QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question>",
    );
    let m = messages(&twice);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].starts_with("element 'QuestionIdentifier' is one too many in 'Question'"),
        "{m:?}"
    );
    assert_eq!(
        messages(&form("")),
        vec!["element 'QuestionForm' is incomplete; expected one of 'Overview', 'Question'"]
    );
}

#[test]
fn facets_and_enumerations() {
    let doc = form(
        "<Question><QuestionIdentifier>q</QuestionIdentifier><QuestionContent><Binary><MimeType><Type>movie</Type></MimeType><DataURL>ftp://x</DataURL><AltText>a</AltText></Binary></QuestionContent><AnswerSpecification><FileUploadAnswer><MaxFileSizeInBytes>2000000001</MaxFileSizeInBytes><MinFileSizeInBytes>1</MinFileSizeInBytes></FileUploadAnswer></AnswerSpecification></Question>",
    );
    let m = messages(&doc);
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(m[0].contains("'movie' is not one of the values allowed: 'image', 'audio', 'video'"));
    assert!(m[1].contains("does not match the pattern '(http|https)://.*' for URLType"));
    assert!(m[2].contains("greater than the maximum 2000000000 allowed for MaxFileSizeType"));
}

#[test]
fn attributes_are_checked() {
    let doc = form(
        "<Question x=\"1\"><QuestionIdentifier>q</QuestionIdentifier><QuestionContent><Text>x</Text></QuestionContent><AnswerSpecification><FreeTextAnswer><Constraints><IsNumeric minValue=\"a\"/><AnswerFormatRegex/></Constraints></FreeTextAnswer></AnswerSpecification></Question>",
    );
    assert_eq!(
        messages(&doc),
        vec![
            "attribute 'x' is not allowed on element 'Question'",
            "attribute 'minValue' of element 'IsNumeric': 'a' is not a valid xs:int",
            "element 'AnswerFormatRegex' is missing required attribute 'regex'",
        ]
    );
}

#[test]
fn formatted_content_in_a_question_form_is_a_string() {
    let escaped = form(&format!(
        "<Overview><FormattedContent><![CDATA[<script>not checked</script>]]></FormattedContent></Overview>{Q}"
    ));
    assert_eq!(issues(&escaped), vec![]);
    let markup = form("<Overview><FormattedContent><p>markup</p></FormattedContent></Overview>");
    assert_eq!(
        messages(&markup),
        vec!["element 'FormattedContent' holds a value (xs:string) and cannot contain element 'p'"]
    );
}

#[test]
fn xhtml_subset_with_groups_and_the_xml_namespace() {
    let ok = format!(
        "<FormattedContent xmlns=\"{XHTML_NS}\"><p>a <b>b</b> <a href=\"https://x/\">c</a></p><pre xml:space=\"preserve\"> x </pre><ul><li>i</li></ul></FormattedContent>"
    );
    assert_eq!(issues(&ok), vec![]);
    let bad = format!(
        "<FormattedContent xmlns=\"{XHTML_NS}\"><pre xml:space=\"keep\">x</pre><ul>text<li>i</li></ul><img src=\"https://x/a.png\"/><map id=\"m\" name=\"a\"><area alt=\"a\"/></map><map id=\"m\" name=\"b\"><area alt=\"b\"/></map></FormattedContent>"
    );
    let m = messages(&bad);
    assert_eq!(m.len(), 4, "{m:?}");
    assert!(
        m[0].contains("'keep' is not one of the values allowed for space"),
        "{m:?}"
    );
    assert!(m[1].contains("may contain only elements"), "{m:?}");
    assert!(m[2].contains("missing required attribute 'alt'"), "{m:?}");
    assert!(m[3].contains("ID 'm' is already used"), "{m:?}");
}

#[test]
fn soap_envelopes_and_version_namespaces() {
    let env = |body: &str| {
        format!("<s:Envelope xmlns:s=\"{SOAP_ENVELOPE_NS}\"><s:Header><h xmlns=\"urn:h\"/></s:Header><s:Body>{body}</s:Body></s:Envelope>")
    };
    let get = |ns: &str, extra: &str| {
        env(&format!(
            "<GetHIT xmlns=\"{ns}\"><AWSAccessKeyId>a</AWSAccessKeyId><Timestamp>2014-08-15T00:00:00Z</Timestamp><Signature>s</Signature><Request><HITId>h</HITId>{extra}</Request></GetHIT>"
        ))
    };
    assert_eq!(issues(&get(REQ, "")), vec![]);
    assert_eq!(
        issues(&get(
            "http://requester.mturk.amazonaws.com/doc/2012-03-25",
            ""
        )),
        vec![]
    );
    assert_eq!(
        messages(&get(REQ, "<Extra/>")),
        vec!["element 'Extra' is not allowed in 'Request'; expected 'ResponseGroup'"]
    );
    let unknown = env(&format!("<GetHITs xmlns=\"{REQ}\"/>"));
    assert_eq!(
        messages(&unknown),
        vec![format!(
            "no schema declares element 'GetHITs' (namespace '{REQ}')"
        )]
    );
    let fault = env("<s:Fault><faultcode>s:Client</faultcode><faultstring>no</faultstring><detail><x xmlns=\"urn:x\">any</x></detail></s:Fault>");
    assert_eq!(issues(&fault), vec![]);
    let bare = format!("<GetAccountBalanceResponse xmlns=\"{REQ}\"><GetAccountBalanceResult><AvailableBalance><Amount>1.00</Amount><CurrencyCode>USD</CurrencyCode></AvailableBalance></GetAccountBalanceResult></GetAccountBalanceResponse>");
    assert_eq!(issues(&bare), vec![]);
}

#[test]
fn unusable_documents() {
    assert!(matches!(validate_bytes(b"<a"), Err(Unusable::NotXml(_))));
    assert!(matches!(
        validate_bytes(b"<QuestionForm/>"),
        Err(Unusable::UnknownNamespace { .. })
    ));
    let e = validate_bytes(b"<x:QuestionForm xmlns:x=\"urn:other\"/>").unwrap_err();
    assert_eq!(
        e.to_string(),
        "no bundled schema for the root element 'QuestionForm' in namespace 'urn:other'"
    );
}

#[test]
fn first_problem_is_one_message_with_its_position() {
    let root = xml::parse(form("\n<Bogus/>").as_bytes(), &ParseLimits::default()).unwrap();
    let e = first_problem(&root).unwrap_err();
    assert!(
        e.starts_with("element 'Bogus' is not allowed in 'QuestionForm'"),
        "{e}"
    );
    assert!(e.ends_with("(line 2, column 1)"), "{e}");
}

const TEST_NS: &str = "urn:test";

fn test_schema(body: &str) -> String {
    format!(
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:t=\"{TEST_NS}\" targetNamespace=\"{TEST_NS}\" elementFormDefault=\"qualified\">{body}</xs:schema>"
    )
}

#[test]
fn all_groups_lists_and_simple_content() {
    let xsd = test_schema(
        r#"<xs:element name="r"><xs:complexType><xs:all><xs:element name="a" type="t:sizes"/><xs:element name="b" minOccurs="0" type="t:priced"/></xs:all></xs:complexType></xs:element>
           <xs:simpleType name="sizes"><xs:restriction><xs:simpleType><xs:list itemType="xs:int"/></xs:simpleType><xs:maxLength value="2"/></xs:restriction></xs:simpleType>
           <xs:complexType name="priced"><xs:simpleContent><xs:extension base="xs:decimal"><xs:attribute name="currency" use="required" fixed="USD"/></xs:extension></xs:simpleContent></xs:complexType>"#,
    );
    let doc = |inner: &str| format!("<r xmlns=\"{TEST_NS}\">{inner}</r>");
    assert!(with_schema(&xsd, &doc("<b currency=\"USD\">1.5</b><a>1 2</a>")).is_empty());
    assert!(with_schema(&xsd, &doc("<a> 3 </a>")).is_empty());
    let m = with_schema(&xsd, &doc("<a>1 2 3</a><b currency=\"EUR\">x</b>"));
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(m[0].contains("3 items long; at most 2 allowed"), "{m:?}");
    assert!(m[1].contains("fixed value 'USD'"), "{m:?}");
    assert!(m[2].contains("'x' is not a valid xs:decimal"), "{m:?}");
    let m = with_schema(&xsd, &doc("<b currency=\"USD\">1</b>"));
    assert_eq!(m, vec!["element 'r' is incomplete; expected 'a'"]);
    let m = with_schema(&xsd, &doc("<a>1</a><a>2</a>"));
    assert_eq!(m.len(), 1, "{m:?}");
}

#[test]
fn extension_restriction_wildcards_and_nil() {
    let xsd = test_schema(
        r###"<xs:complexType name="base"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence><xs:attribute name="x" type="xs:int"/><xs:attribute name="y"/></xs:complexType>
           <xs:complexType name="ext"><xs:complexContent><xs:extension base="t:base"><xs:sequence><xs:element name="b" type="xs:string" nillable="true"/><xs:any namespace="##other" processContents="lax" minOccurs="0"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>
           <xs:complexType name="res"><xs:complexContent><xs:restriction base="t:base"><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence><xs:attribute name="y" use="prohibited"/></xs:restriction></xs:complexContent></xs:complexType>
           <xs:element name="e" type="t:ext"/><xs:element name="r" type="t:res"/><xs:element name="n" type="xs:int"/>"###,
    );
    let ok = format!(
        "<e xmlns=\"{TEST_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" x=\"1\" y=\"z\"><a>1</a><b xsi:nil=\"true\"/><o:other xmlns:o=\"urn:other\"><n xmlns=\"{TEST_NS}\">5</n></o:other></e>"
    );
    assert!(
        with_schema(&xsd, &ok).is_empty(),
        "{:?}",
        with_schema(&xsd, &ok)
    );
    // Lax: the undeclared wrapper is skipped, but the declared element inside it is checked.
    let lax = ok.replace(">5<", ">five<");
    assert_eq!(
        with_schema(&xsd, &lax),
        vec!["element 'n': 'five' is not a valid xs:int"]
    );
    let m = with_schema(
        &xsd,
        &format!("<e xmlns=\"{TEST_NS}\"><b/><a/><z xmlns=\"{TEST_NS}\"/></e>"),
    );
    assert_eq!(m.len(), 3, "{m:?}");
    let m = with_schema(&xsd, &format!("<r xmlns=\"{TEST_NS}\" y=\"1\"><a/></r>"));
    assert_eq!(m, vec!["attribute 'y' is not allowed on element 'r'"]);
    let m = with_schema(
        &xsd,
        &format!("<r xmlns=\"{TEST_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><a xsi:nil=\"true\"/></r>"),
    );
    assert_eq!(
        m,
        vec!["element 'a' is not nillable, so xsi:nil is not allowed"]
    );
}

#[test]
fn unsupported_or_broken_schemas_are_refused() {
    for body in [
        r#"<xs:include schemaLocation="x.xsd"/>"#,
        r#"<xs:element name="a" type="t:missing"/>"#,
        r#"<xs:element name="a" substitutionGroup="t:b"/>"#,
        r#"<xs:simpleType name="u"><xs:union memberTypes="xs:int xs:string"/></xs:simpleType>"#,
        r#"<xs:group name="g"><xs:sequence><xs:group ref="t:g"/></xs:sequence></xs:group><xs:element name="a"><xs:complexType><xs:group ref="t:g"/></xs:complexType></xs:element>"#,
        r#"<xs:simpleType name="p"><xs:restriction base="xs:string"><xs:pattern value="[z-a]"/></xs:restriction></xs:simpleType>"#,
        r#"<xs:element name="a"/><xs:element name="a"/>"#,
    ] {
        assert!(compile::compile(&[&test_schema(body)]).is_err(), "{body}");
    }
}

#[test]
fn an_element_without_a_type_takes_anything() {
    let xsd = test_schema(r#"<xs:element name="a"/><xs:element name="b" type="xs:int"/>"#);
    assert!(with_schema(
        &xsd,
        &format!("<a xmlns=\"{TEST_NS}\" q=\"1\">text<x/><y>z</y></a>")
    )
    .is_empty());
    // Anything, except what is declared and wrong.
    assert_eq!(
        with_schema(&xsd, &format!("<a xmlns=\"{TEST_NS}\"><b>no</b></a>")),
        vec!["element 'b': 'no' is not a valid xs:int"]
    );
}
