#!/usr/bin/env python3
"""The worker site and the requester console in a real browser (headless Chromium through
Selenium), with boto 2.49 as the requester's script:

  * an ExternalQuestion HIT whose task page this script serves on localhost: the worker signs
    in, finds the HIT, previews it (the frame says ASSIGNMENT_ID_NOT_AVAILABLE), accepts it,
    fills the form in the frame and submits to turkSubmitTo + '/mturk/externalSubmit'; boto
    sees FreeText answers; the requester approves in the console; boto sees Approved and the
    balance down by reward plus fee;
  * the same for a QuestionForm HIT (free text, a selection, a file upload) and an
    HTMLQuestion HIT (its page in a sandboxed frame);
  * a worker without a required qualification sees the HIT marked and cannot accept it;
  * a worker the requester rejected cannot accept the HIT again;
  * every page is HTML5 with labelled controls, escapes a hostile answer, and loads nothing
    from outside the server (or the requester's own task page).

Screenshots go to $TURKSTAND_SCREENSHOTS (default target/screenshots).

  target/pyenv/bin/python tests/clients/browser_flows.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2
"""

import functools
import html.parser
import http.server
import os
import sys
import tempfile
import threading
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_in, expect_true, fail  # noqa: E402
from assign_clock_common import RawQuestion, boto_main  # noqa: E402
import qual_common as Q  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
HOSTILE = '<b id="pwned">bold</b> & "quotes"'
REWARD = "0.50"

QUESTION_FORM = (
    '<QuestionForm xmlns="%s">'
    "<Overview><Title>About you</Title><Text>Three short questions.</Text></Overview>"
    "<Question><QuestionIdentifier>name</QuestionIdentifier><IsRequired>true</IsRequired>"
    "<QuestionContent><Text>Your name?</Text></QuestionContent>"
    "<AnswerSpecification><FreeTextAnswer><Constraints><Length minLength=\"1\" maxLength=\"80\"/>"
    "</Constraints></FreeTextAnswer></AnswerSpecification></Question>"
    "<Question><QuestionIdentifier>colour</QuestionIdentifier>"
    "<QuestionContent><Text>Pick a colour.</Text></QuestionContent>"
    "<AnswerSpecification><SelectionAnswer><StyleSuggestion>radiobutton</StyleSuggestion>"
    "<Selections><Selection><SelectionIdentifier>red</SelectionIdentifier><Text>Red</Text></Selection>"
    "<Selection><SelectionIdentifier>blue</SelectionIdentifier><Text>Blue</Text></Selection>"
    "</Selections></SelectionAnswer></AnswerSpecification></Question>"
    "<Question><QuestionIdentifier>photo</QuestionIdentifier>"
    "<QuestionContent><Text>Upload a file.</Text></QuestionContent>"
    "<AnswerSpecification><FileUploadAnswer><MaxFileSizeInBytes>10000</MaxFileSizeInBytes>"
    "<MinFileSizeInBytes>1</MinFileSizeInBytes></FileUploadAnswer></AnswerSpecification></Question>"
    "</QuestionForm>"
) % C.QF_NS

HTML_TASK = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>HTML task</title></head><body>
<form name="mturk_form" method="post" id="mturk_form" action="https://www.mturk.com/mturk/externalSubmit">
<input type="hidden" value="" name="assignmentId" id="assignmentId">
<p id="shown"></p>
<p><label for="answer">Your answer</label> <input id="answer" name="answer" type="text"></p>
<p><input type="submit" id="submitButton" value="Submit"></p>
</form>
<script>
var a = new URLSearchParams(location.search).get("assignmentId") || "";
document.getElementById("assignmentId").value = a;
document.getElementById("shown").textContent = "Assignment " + a;
if (a === "ASSIGNMENT_ID_NOT_AVAILABLE") document.getElementById("submitButton").disabled = true;
</script></body></html>"""

# In the browser: what makes a page fail the check (an empty list passes).
PAGE_CHECK_JS = r"""
const problems = [];
if (!document.doctype || document.doctype.name !== "html") problems.push("no HTML5 doctype");
if (!document.documentElement.lang) problems.push("no lang on <html>");
for (const el of document.querySelectorAll("input, select, textarea")) {
  if (el.type === "hidden") continue;
  const labelled = (el.labels && el.labels.length) || el.getAttribute("aria-label");
  if (!labelled) problems.push("unlabelled " + el.tagName + " " + (el.name || el.id));
}
const ids = {};
for (const el of document.querySelectorAll("[id]")) {
  if (ids[el.id]) problems.push("duplicate id " + el.id);
  ids[el.id] = true;
}
for (const b of document.querySelectorAll("button")) {
  if (!b.textContent.trim()) problems.push("button without text");
}
for (const r of performance.getEntriesByType("resource")) {
  if (!r.name.startsWith(arguments[0]) && !r.name.startsWith(arguments[1])) problems.push("outside resource " + r.name);
}
return problems;
"""

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Balance(html.parser.HTMLParser):
    """Checks that every element the page opens it closes, in order (void elements aside)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack else "nothing"))
        else:
            self.stack.pop()


class Browser:
    def __init__(self, endpoint, task_base, shots):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        opts = webdriver.ChromeOptions()
        for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                  "--window-size=1280,1000", "--no-first-run", "--disable-extensions"):
            opts.add_argument(a)
        opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.d = webdriver.Chrome(options=opts, service=service)
        self.d.set_page_load_timeout(60)
        self.endpoint, self.task_base, self.shots = endpoint, task_base, shots
        self.pages_checked = set()

    def close(self):
        self.d.quit()

    def by(self, css):
        from selenium.webdriver.common.by import By
        return self.d.find_element(By.CSS_SELECTOR, css)

    def all(self, css):
        from selenium.webdriver.common.by import By
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def go(self, path):
        self.d.switch_to.default_content()
        self.d.get(self.endpoint + path)
        self.check_page()

    def check_page(self):
        """The page in the browser passes PAGE_CHECK_JS, and its source is balanced HTML."""
        problems = self.d.execute_script(PAGE_CHECK_JS, self.endpoint, self.task_base)
        expect_eq(problems, [], "page problems of %s" % self.d.current_url)
        path = self.d.current_url.split("?")[0]
        if path not in self.pages_checked:
            self.pages_checked.add(path)
            expect_eq(self.raw_problems(self.d.current_url), [], "HTML of %s" % self.d.current_url)

    def raw_problems(self, url):
        cookies = "; ".join("%s=%s" % (c["name"], c["value"]) for c in self.d.get_cookies())
        req = urllib.request.Request(url, headers={"Cookie": cookies, "Accept": "text/html"})
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode("utf-8")
        p = Balance()
        p.feed(text)
        p.close()
        if not text.startswith("<!DOCTYPE html>"):
            p.problems.append("does not start with <!DOCTYPE html>")
        return p.problems + ["unclosed <%s>" % t for t in p.stack]

    def shot(self, name):
        os.makedirs(self.shots, exist_ok=True)
        self.d.save_screenshot(os.path.join(self.shots, name + ".png"))

    def click(self, css):
        """Clicks, and waits for the page (or frame) it submits or links to."""
        self.click_element(self.by(css))

    def click_element(self, el):
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait
        old = self.by("html")
        el.click()

        # Mid-navigation, chromedriver may answer with errors other than a stale element.
        def gone(_):
            try:
                old.is_enabled()
                return False
            except WebDriverException:
                return True

        def loaded(d):
            try:
                return d.execute_script("return document.readyState") == "complete"
            except WebDriverException:
                return False

        WebDriverWait(self.d, 30).until(gone)
        WebDriverWait(self.d, 30).until(loaded)

    def sign_in_worker(self, worker):
        self.go("/mturk/signin")
        box = self.by("#workerId")
        box.clear()
        box.send_keys(worker)
        self.click("main form button[type=submit]")
        expect_in("/mturk/findhits", self.d.current_url, "after signing in")
        self.check_page()

    def sign_in_requester(self, key):
        from selenium.webdriver.support.ui import Select
        self.go("/requester/signin")
        Select(self.by("#accessKeyId")).select_by_value(key)
        self.click("main form button[type=submit]")
        self.check_page()

    def submit_in_frame(self, fields):
        """Fills the task frame's `fields` ({css: text}), submits it, and expects the
        confirmation there."""
        self.into_frame()
        for css, text in fields.items():
            self.by(css).send_keys(text)
        self.click("#submitButton")
        expect_in("was submitted", self.text(), "confirmation in the frame")
        self.d.switch_to.default_content()

    def into_frame(self):
        frame = self.by("iframe.task")
        self.d.switch_to.frame(frame)
        return frame

    def text(self):
        return self.by("body").text


def serve_task_pages():
    """Serves tests/clients/browser/ on a free localhost port; its base URL."""
    handler = functools.partial(QuietHandler, directory=os.path.join(HERE, "browser"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return "http://127.0.0.1:%d" % server.server_address[1]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    boto_main("The worker site and requester console in headless Chromium.", run)


def run(boto, admin, args):
    r = C.Runner()
    task_base = serve_task_pages()
    shots = os.environ.get("TURKSTAND_SCREENSHOTS") or os.path.join(HERE, "..", "..", "target", "screenshots")
    b = r.check("start headless Chromium", lambda: Browser(args.endpoint, task_base, shots))
    if b is None:
        r.finish()
    try:
        flows(r, boto, b, args, task_base)
    finally:
        b.close()
    r.finish()


def approve_in_console(b, args, hit_id, feedback):
    b.sign_in_requester(args.access_key)
    b.go("/requester/hit?hitId=" + hit_id)
    b.by("form[action='/requester/approve'] input[name=feedback]").send_keys(feedback)
    b.click("form[action='/requester/approve'] button")
    expect_in("/requester/hit", b.d.current_url, "back on the HIT after approving")
    b.check_page()
    expect_eq(b.by("dd.status").text, "Approved", "status in the console")


def expect_paid(boto, hit_id, before, what):
    [a], _ = boto.assignments(hit_id)
    expect_eq(a["AssignmentStatus"], "Approved", "%s: status boto sees" % what)
    after = boto.balance()
    expect_eq(after, before - C.approval_cost(REWARD, 1), "%s: balance after approval" % what)


def flows(r, boto, b, args, task_base):
    from boto.mturk.question import ExternalQuestion, HTMLQuestion
    s = r.state

    # -- ExternalQuestion ---------------------------------------------------------------
    def create_external():
        s["before"] = boto.balance()
        s["ext"] = boto.create_hit(question=ExternalQuestion(task_base + "/task.html?lang=en", 500),
                                   reward=REWARD, title="Browser: sky colour " + C.unique(""))
    r.check("boto creates an ExternalQuestion HIT", create_external)

    def find_and_preview():
        w = C.worker_id()
        s["ext_worker"] = w
        b.sign_in_worker(w)
        b.go("/mturk/findhits?searchWords=sky+colour")
        row = [tr for tr in b.all("table.hits tbody tr") if s["ext"] and "Browser: sky colour" in tr.text]
        expect_true(row, "the HIT is listed on the marketplace")
        b.shot("marketplace")
        b.click_element(row[0].find_element("css selector", "a"))
        b.check_page()
        frame = b.into_frame()
        expect_eq(b.by("#assignment").text, "ASSIGNMENT_ID_NOT_AVAILABLE", "assignmentId in the preview frame")
        expect_true(not b.by("#submitButton").is_enabled(), "no submitting from a preview")
        b.d.switch_to.default_content()
        src = frame.get_attribute("src")
        expect_in("lang=en&assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE&hitId=" + s["ext"], src, "preview frame URL")
        b.shot("preview")
    r.check("worker finds and previews the ExternalQuestion HIT", find_and_preview, needs=("ext",))

    def accept_and_submit():
        b.click("form[action='/mturk/accept'] button")
        expect_in("/mturk/continue", b.d.current_url, "after accepting")
        b.check_page()
        src = b.by("iframe.task").get_attribute("src")
        expect_in("turkSubmitTo=" + urllib.request.quote(args.endpoint, safe=""), src, "turkSubmitTo in the frame")
        expect_in("workerId=" + s["ext_worker"], src, "workerId in the frame")
        b.into_frame()
        expect_true(b.by("#assignment").text not in ("", "ASSIGNMENT_ID_NOT_AVAILABLE"), "a real assignmentId")
        b.by("#colour").send_keys(HOSTILE)
        b.by("#comment").send_keys("line one\nline two")
        b.d.switch_to.default_content()
        b.shot("task")
        b.submit_in_frame({})
    r.check("worker accepts, fills the frame and submits to externalSubmit", accept_and_submit, needs=("ext",))

    def boto_sees_free_text():
        [a], _ = boto.assignments(s["ext"])
        answers = C.parse_question_form_answers(a["Answer"])
        # A browser sends a textarea's line breaks as CRLF, and the answer keeps what was sent.
        expect_eq(answers, {"colour": HOSTILE, "comment": "line one\r\nline two"}, "FreeText answers")
        expect_eq(a["WorkerId"], s["ext_worker"], "WorkerId")
    r.check("boto sees the answers as FreeText", boto_sees_free_text, needs=("ext",))

    def console_escapes_and_approves():
        b.sign_in_requester(args.access_key)
        b.go("/requester/hit?hitId=" + s["ext"])
        expect_eq(b.all("#pwned"), [], "the hostile answer is not markup")
        expect_in(HOSTILE, b.by("table.answers").text, "the hostile answer shown as text")
        b.shot("console")
        approve_in_console(b, args, s["ext"], "Thanks!")
        expect_paid(boto, s["ext"], s["before"], "ExternalQuestion")
    r.check("requester approves in the console; boto sees Approved and the balance", console_escapes_and_approves, needs=("ext",))

    def bonus_on_dashboard():
        before = boto.balance()
        b.go("/requester/hit?hitId=" + s["ext"])
        b.by("form[action='/requester/bonus'] input[name=amount]").send_keys("0.10")
        b.by("form[action='/requester/bonus'] input[name=reason]").send_keys("Nice <work>")
        b.click("form[action='/requester/bonus'] button")
        b.check_page()
        expect_eq(boto.balance(), before - C.money("0.12"), "balance after a $0.10 bonus")
        b.sign_in_worker(s["ext_worker"])
        b.go("/mturk/dashboard")
        row = b.by("table.bonuses tbody tr").text
        expect_in("$0.10", row, "the bonus on the worker's dashboard")
        expect_in("Nice <work>", row, "its reason, as text")
        expect_in("Thanks!", b.by("table.assignments").text, "the approval feedback")
        b.shot("dashboard")
    r.check("a bonus granted in the console shows on the worker's dashboard", bonus_on_dashboard, needs=("ext",))

    # -- QuestionForm ---------------------------------------------------------------------
    def create_form():
        s["before_form"] = boto.balance()
        s["form"] = boto.create_hit(question=RawQuestion(QUESTION_FORM), reward=REWARD,
                                    title="Browser: question form " + C.unique(""))
    r.check("boto creates a QuestionForm HIT", create_form)

    def work_form():
        w = C.worker_id()
        b.sign_in_worker(w)
        b.go("/mturk/preview?hitId=" + s["form"])
        expect_true(b.by("form.question-form fieldset").get_attribute("disabled") is not None,
                    "the preview's questions are disabled")
        b.shot("preview-questionform")
        b.click("form[action='/mturk/accept'] button")
        b.check_page()
        b.by("form.question-form input[name='answer.name']").send_keys("Ada " + HOSTILE)
        [blue] = [l for l in b.all("form.question-form label") if l.text == "Blue"]
        blue.click()
        path = os.path.join(tempfile.mkdtemp(), "photo.txt")
        with open(path, "wb") as f:
            f.write(b"not really a photo\n")
        b.by("form.question-form input[type=file]").send_keys(path)
        b.shot("task-questionform")
        b.click("form.question-form button[type=submit]")
        expect_in("was submitted", b.text(), "confirmation")
    r.check("worker previews, accepts and submits the QuestionForm", work_form, needs=("form",))

    def boto_sees_typed_answers():
        [a], _ = boto.assignments(s["form"])
        root = C.ET.fromstring(a["Answer"].encode("utf-8"))
        got = {}
        for ans in root:
            fields = {C.local(k.tag): k.text for k in ans}
            got[fields.pop("QuestionIdentifier")] = fields
        expect_eq(got["name"], {"FreeText": "Ada " + HOSTILE}, "free text answer")
        expect_eq(got["colour"], {"SelectionIdentifier": "blue"}, "selection answer")
        expect_eq(got["photo"].get("UploadedFileSizeInBytes"), "19", "uploaded file size")
        expect_true(got["photo"].get("UploadedFileKey"), "uploaded file key")
    r.check("boto sees FreeText, SelectionIdentifier and the uploaded file", boto_sees_typed_answers, needs=("form",))

    def approve_form():
        approve_in_console(b, args, s["form"], "Good form")
        expect_paid(boto, s["form"], s["before_form"], "QuestionForm")
    r.check("requester approves the QuestionForm work in the console", approve_form, needs=("form",))

    # -- HTMLQuestion ---------------------------------------------------------------------
    def create_html():
        s["before_html"] = boto.balance()
        s["html"] = boto.create_hit(question=HTMLQuestion(HTML_TASK, 300), reward=REWARD,
                                    title="Browser: html question " + C.unique(""))
    r.check("boto creates an HTMLQuestion HIT", create_html)

    def work_html():
        b.sign_in_worker(C.worker_id())
        b.go("/mturk/preview?hitId=" + s["html"])
        frame = b.by("iframe.task")
        expect_eq(frame.get_attribute("sandbox"), "allow-forms allow-scripts", "the frame's sandbox")
        b.into_frame()
        expect_eq(b.by("#shown").text, "Assignment ASSIGNMENT_ID_NOT_AVAILABLE", "preview frame")
        b.d.switch_to.default_content()
        b.click("form[action='/mturk/accept'] button")
        b.check_page()
        b.submit_in_frame({"#answer": "forty-two"})
    r.check("worker previews, accepts and submits the HTMLQuestion in its sandboxed frame", work_html, needs=("html",))

    def boto_sees_html_answer():
        [a], _ = boto.assignments(s["html"])
        expect_eq(C.parse_question_form_answers(a["Answer"]), {"answer": "forty-two"}, "answers")
        approve_in_console(b, args, s["html"], "Good html")
        expect_paid(boto, s["html"], s["before_html"], "HTMLQuestion")
    r.check("boto sees the HTMLQuestion answer; approved in the console", boto_sees_html_answer, needs=("html",))

    # -- Refusals -------------------------------------------------------------------------
    def unqualified():
        from boto.mturk.qualification import Qualifications, Requirement
        [qt], _ = boto.call("main", lambda c: c.create_qualification_type(
            "browser skill " + C.unique(""), "A test skill", "Active"))
        qid = qt.QualificationTypeId
        hit = boto.create_hit(question=ExternalQuestion(task_base + "/task.html", 400), reward=REWARD,
                              title="Browser: skilled only " + C.unique(""),
                              requirements=[Requirement(qid, "GreaterThan", 50)])
        b.sign_in_worker(C.worker_id())
        b.go("/mturk/findhits?searchWords=skilled+only")
        rows = [tr for tr in b.all("table.hits tbody tr.unqualified") if "skilled only" in tr.text]
        expect_true(rows, "the HIT is listed and marked unqualified")
        expect_in("You do not qualify", rows[0].text, "the mark")
        b.shot("marketplace-unqualified")
        b.go("/mturk/preview?hitId=" + hit)
        expect_in("You cannot accept this HIT", b.text(), "preview says so")
        b.click("form[action='/mturk/accept'] button")
        expect_in(C.DOES_NOT_MEET_REQUIREMENTS, b.text(), "legacy error code on refusal")
        expect_eq(boto.get_hit(hit)["NumberOfAssignmentsPending"], "0", "no assignment was taken")
    r.check("an unqualified worker sees the HIT marked and cannot accept it", unqualified)

    def rejected_never_again():
        hit = boto.create_hit(question=ExternalQuestion(task_base + "/task.html", 400), reward=REWARD,
                              max_assignments=3, title="Browser: reject " + C.unique(""))
        w = C.worker_id()
        b.sign_in_worker(w)
        b.go("/mturk/preview?hitId=" + hit)
        b.click("form[action='/mturk/accept'] button")
        b.submit_in_frame({"#colour": "green"})
        b.sign_in_requester(args.access_key)
        b.go("/requester/hit?hitId=" + hit)
        b.by("form[action='/requester/reject'] input[name=feedback]").send_keys("Wrong <colour>")
        b.click("form[action='/requester/reject'] button")
        expect_eq(b.by("dd.status").text, "Rejected", "status in the console")
        b.sign_in_worker(w)
        b.go("/mturk/dashboard")
        expect_in("Wrong <colour>", b.by("table.assignments").text, "feedback on the dashboard")
        b.go("/mturk/preview?hitId=" + hit)
        b.click("form[action='/mturk/accept'] button")
        expect_in("was rejected on HIT", b.text(), "refusal text")
        expect_in(C.DOES_NOT_MEET_REQUIREMENTS, b.text(), "legacy error code")
    r.check("a rejected worker cannot accept the HIT again", rejected_never_again)

    def qualification_test():
        Q.patch_boto_answer_key()
        body = boto.raw("main", "CreateQualificationType", {
            "Name": "browser test " + C.unique(""), "Description": "Take the test in the browser",
            "QualificationTypeStatus": "Active", "Test": Q.TEST_FORM, "TestDurationInSeconds": "600",
            "AnswerKey": Q.answer_key()})
        qid = C.first_text(body, "QualificationTypeId")
        b.sign_in_worker(C.worker_id())
        b.go("/mturk/dashboard")
        b.by("#qualificationTypeId").send_keys(qid)
        b.click("form[action='/mturk/requestqualification'] button")
        expect_in("/mturk/qualification", b.d.current_url, "on to the test")
        b.check_page()
        for choice in ("sel-a", "yes"):
            [label] = [l for l in b.all("form.question-form label") if l.text == choice]
            label.click()
        b.click("form.question-form button[type=submit]")
        expect_in("Granted", b.text(), "graded by the answer key")
        b.go("/mturk/dashboard")
        row = b.by("table.qualifications tbody tr").text
        expect_in(qid, row, "the qualification held")
        expect_in("20", row, "with the summed score")
    r.check("a worker takes a qualification test on the dashboard, graded by the answer key", qualification_test)

    def landing_and_csrf():
        b.go("/")
        expect_in("/?wsdl", b.text(), "the landing page links the WSDL")
        expect_in(args.access_key, b.text(), "the landing page names the accounts")
        b.shot("landing")
        # A forged form without the token does nothing.
        b.d.execute_script(
            "const f = document.createElement('form'); f.method = 'post'; f.action = '/mturk/signin';"
            "const i = document.createElement('input'); i.name = 'workerId'; i.value = 'AFORGED';"
            "f.appendChild(i); document.body.appendChild(f); f.submit();")
        expect_in("CSRF", b.text(), "a form without the token is refused")
    r.check("the landing page, and a form without its CSRF token", landing_and_csrf)

    def no_outside_resources():
        expect_true(len(b.pages_checked) >= 8, "pages checked: %r" % sorted(b.pages_checked))
    r.check("every page visited was checked", no_outside_resources)


if __name__ == "__main__":
    main()
