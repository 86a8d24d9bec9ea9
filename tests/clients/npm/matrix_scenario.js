'use strict';
// The client-matrix scenario for the Node SOAP clients (npm `soap`, npm `mturk-api`): all 44
// operations against a running turkstand, with a HIT lifecycle, both qualification flows,
// bonuses, worker blocks, statistics, notifications and Help. The same steps as
// tests/clients/suds/matrix_scenario.py.
//
// A driver adapts one client library:
//   name                        client name printed in the matrix
//   operations()                operation names the client's stubs offer
//   call(op, request)           signs and sends op; resolves to the op's first result element
//                               (without Request); rejects with ServiceError when the reply
//                               carries Errors, CallFailed when the library itself fails
//   note                        optional text printed before the steps
//
// Output: "PASS step" / "FAIL step: reason" per step, then "MATRIX <client> <Operation>
// PASS|FAIL" per operation and "<client>: N operations passed, M failed". An operation
// passes when a step exercised it and no step failed because of it.

const C = require('./common');

const { eq, ok, fail, many, text, cents } = C;

const OPERATIONS = [
  'CreateHIT', 'RegisterHITType', 'SetHITTypeNotification', 'SendTestEventNotification',
  'DisposeHIT', 'DisableHIT', 'GetHIT', 'GetAssignment', 'GetReviewResultsForHIT',
  'GetReviewableHITs', 'GetHITsForQualificationType', 'GetQualificationsForQualificationType',
  'SetHITAsReviewing', 'ExtendHIT', 'ForceExpireHIT', 'ApproveAssignment', 'RejectAssignment',
  'ApproveRejectedAssignment', 'GetAssignmentsForHIT', 'GetFileUploadURL', 'SearchHITs',
  'GrantBonus', 'GetBonusPayments', 'ChangeHITTypeOfHIT', 'CreateQualificationType',
  'GrantQualification', 'AssignQualification', 'RevokeQualification', 'GetQualificationType',
  'GetQualificationRequests', 'RejectQualificationRequest', 'UpdateQualificationType',
  'SearchQualificationTypes', 'GetQualificationScore', 'UpdateQualificationScore',
  'DisposeQualificationType', 'GetRequesterStatistic', 'GetRequesterWorkerStatistic',
  'NotifyWorkers', 'GetAccountBalance', 'GetBlockedWorkers', 'BlockWorker', 'UnblockWorker',
  'Help',
];

// Operations whose result element is not "<Operation>Result" (WSDL 2014-08-15).
const RESULT_ELEMENT = {
  CreateHIT: 'HIT',
  GetHIT: 'HIT',
  CreateQualificationType: 'QualificationType',
  GetQualificationType: 'QualificationType',
  UpdateQualificationType: 'QualificationType',
  GetQualificationScore: 'Qualification',
  GetRequesterStatistic: 'GetStatisticResult',
  GetRequesterWorkerStatistic: 'GetStatisticResult',
  Help: 'Information',
};

const QUESTION_ID = 'favourite_city';
const FILE_QUESTION = 'upload';
const FILE_BYTES = Buffer.from('turkstand matrix upload\n');

const QUESTION_FORM = `<QuestionForm xmlns="${C.QF_NS}">`
  + `<Question><QuestionIdentifier>${QUESTION_ID}</QuestionIdentifier>`
  + '<QuestionContent><Text>Which city do you like best?</Text></QuestionContent>'
  + '<AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question>'
  + `<Question><QuestionIdentifier>${FILE_QUESTION}</QuestionIdentifier>`
  + '<QuestionContent><Text>Upload a file.</Text></QuestionContent>'
  + '<AnswerSpecification><FileUploadAnswer><MaxFileSizeInBytes>1000</MaxFileSizeInBytes>'
  + '<MinFileSizeInBytes>1</MinFileSizeInBytes></FileUploadAnswer></AnswerSpecification>'
  + '</Question></QuestionForm>';

const EXTERNAL_QUESTION = '<ExternalQuestion xmlns="http://mechanicalturk.amazonaws.com/'
  + 'AWSMechanicalTurkDataSchemas/2006-07-14/ExternalQuestion.xsd">'
  + '<ExternalURL>https://example.com/task?x=1&amp;y=2</ExternalURL>'
  + '<FrameHeight>400</FrameHeight></ExternalQuestion>';

const NOTIFICATION = {
  Destination: 'requester@example.com', Transport: 'Email', Version: '2006-05-05',
  EventType: ['AssignmentSubmitted'],
};

const sampleAnswer = (tag) => `Lyon & <Paris> "quoted" caf\u00e9 ${tag}`;

class Matrix {
  constructor(client) {
    this.client = client;
    this.state = {};
    this.exercised = new Set();
    this.failed = new Map();
    this.stepsFailed = 0;
  }

  /** Runs fn(). A failed call is charged to the operation called; a failed expectation to
   * `op`, the operation the step is about (null: setup only). */
  async step(op, name, fn, needs = []) {
    const missing = needs.filter((k) => !(k in this.state));
    if (missing.length) {
      this.stepsFailed++;
      if (op && !this.failed.has(op)) this.failed.set(op, `not run: no ${missing.join(', ')}`);
      console.log(`FAIL ${name}: not run, an earlier step did not produce ${missing.join(', ')}`);
      return;
    }
    try {
      await fn();
      console.log(`PASS ${name}`);
    } catch (e) {
      this.stepsFailed++;
      const culprit = (e instanceof C.ServiceError || e instanceof C.CallFailed) ? e.operation : op;
      if (culprit && !this.failed.has(culprit)) this.failed.set(culprit, name);
      console.log(`FAIL ${name}: [${culprit || 'setup'}] ${e.constructor.name}: ${C.clip(e.message, 800).replace(/\n/g, ' ')}`);
      const detail = e.detail || (e instanceof C.CheckFailed ? '' : e.stack);
      for (const line of String(detail || '').trimEnd().split('\n').slice(0, 80)) {
        if (line) console.log(`    ${line}`);
      }
    }
  }

  finish(operations) {
    let passed = 0;
    let failed = 0;
    for (const op of operations) {
      const good = this.exercised.has(op) && !this.failed.has(op);
      const why = good ? '' : `  # ${this.failed.get(op) || 'not exercised'}`;
      console.log(`MATRIX ${this.client} ${op} ${good ? 'PASS' : 'FAIL'}${why}`);
      if (good) passed++; else failed++;
    }
    console.log(`${this.client}: ${passed} operations passed, ${failed} failed`);
    return failed || this.stepsFailed ? 1 : 0;
  }
}

async function run(driver, args) {
  const m = new Matrix(driver.name);
  const S = m.state;
  const admin = new C.Admin(args.endpoint);
  const tag = C.unique('', 6);

  const call = (op, request) => {
    m.exercised.add(op);
    return driver.call(op, request);
  };
  const balance = async () => cents((await call('GetAccountBalance', {})).AvailableBalance.Amount);
  const hit = (hitId) => call('GetHIT', { HITId: hitId });
  const expectError = async (op, request, code, what) => {
    m.exercised.add(op);
    try {
      await driver.call(op, request);
    } catch (e) {
      if (!(e instanceof C.ServiceError)) throw e;
      const codes = e.codes.map((c) => c.code);
      const matches = (c) => (code.startsWith('*') ? String(c).endsWith(code.slice(1)) : c === code);
      ok(codes.some(matches), `${what}: expected error ${code}, got ${JSON.stringify(codes)}`, C.clip(e.body));
      return;
    }
    fail(`${what}: expected error ${code}, but the call succeeded`);
  };
  // Keys in schema order: soap@0.16 (under mturk-api) writes them in object order.
  const hitTypeSpec = (title) => ({
    AutoApprovalDelayInSeconds: 86400, AssignmentDurationInSeconds: 3600,
    Reward: { Amount: '0.25', CurrencyCode: 'USD' }, Title: title, Keywords: 'turkstand, matrix',
    Description: 'A HIT type of the client matrix.',
  });

  if (driver.note) console.log(driver.note);
  await m.step(null, `${driver.name} offers all 44 operations`, async () => {
    const ops = new Set(driver.operations());
    eq(OPERATIONS.filter((o) => !ops.has(o)), [], 'operations missing from the client');
    eq(ops.size, 44, 'operations the client offers');
  });

  // ---------------------------------------------------------------- account, HIT type
  await m.step('GetAccountBalance', 'GetAccountBalance of a fresh account', async () => {
    const r = await call('GetAccountBalance', {});
    eq(cents(r.AvailableBalance.Amount), 1000000, 'AvailableBalance Amount in cents');
    eq(text(r.AvailableBalance.CurrencyCode), 'USD', 'CurrencyCode');
    eq(text(r.AvailableBalance.FormattedPrice), '$10,000.00', 'FormattedPrice');
    eq(cents(r.OnHoldBalance.Amount), 0, 'OnHoldBalance Amount');
    S.b0 = cents(r.AvailableBalance.Amount);
  });

  await m.step('RegisterHITType', 'RegisterHITType; the same values give the same HITTypeId', async () => {
    const spec = hitTypeSpec(`matrix type ${tag}`);
    const t1 = text((await call('RegisterHITType', spec)).HITTypeId);
    ok(t1, 'RegisterHITType returned no HITTypeId');
    eq(text((await call('RegisterHITType', spec)).HITTypeId), t1, 'HITTypeId of an identical RegisterHITType');
    S.t1 = t1;
  });

  // ---------------------------------------------------------------- HIT lifecycle
  await m.step('CreateHIT', 'CreateHIT from the HIT type with a QuestionForm', async () => {
    const h = await call('CreateHIT', {
      HITTypeId: S.t1, MaxAssignments: 2, LifetimeInSeconds: 86400, Question: QUESTION_FORM,
      RequesterAnnotation: `matrix ${tag}`,
    });
    ok(h.HITId, 'CreateHIT returned no HITId', JSON.stringify(h));
    eq(text(h.HITTypeId), S.t1, 'HITTypeId of the created HIT');
    S.hit = text(h.HITId);
  }, ['t1']);

  await m.step('GetHIT', 'GetHIT echoes the HIT', async () => {
    const h = await hit(S.hit);
    eq(text(h.HITId), S.hit, 'HITId');
    eq(text(h.Title), `matrix type ${tag}`, 'Title');
    eq(text(h.HITStatus), 'Assignable', 'HITStatus');
    eq(Number(h.MaxAssignments), 2, 'MaxAssignments');
    eq(cents(h.Reward.Amount), 25, 'Reward Amount in cents');
    eq(text(h.Reward.FormattedPrice), '$0.25', 'Reward FormattedPrice');
    eq(Number(h.AssignmentDurationInSeconds), 3600, 'AssignmentDurationInSeconds');
    eq(C.squash(h.Question), C.squash(QUESTION_FORM), 'Question');
  }, ['hit']);

  await m.step('SearchHITs', 'SearchHITs finds the HIT', async () => {
    const r = await call('SearchHITs', { SortDirection: 'Ascending', SortProperty: 'CreationTime', PageNumber: 1, PageSize: 100 });
    ok(many(r, 'HIT').map((h) => text(h.HITId)).includes(S.hit), 'SearchHITs does not list the HIT');
    eq(Number(r.PageNumber), 1, 'PageNumber');
  }, ['hit']);

  await m.step(null, 'two simulated workers accept and submit (answer + file)', async () => {
    const files = { [FILE_QUESTION]: { name: 'notes.txt', content_base64: FILE_BYTES.toString('base64') } };
    for (const k of ['1', '2']) {
      const w = C.workerId();
      const a = await admin.accept(w, S.hit);
      await admin.submit(a, { [QUESTION_ID]: sampleAnswer(w) }, files);
      S[`w${k}`] = w;
      S[`a${k}`] = a;
    }
  }, ['hit']);

  await m.step('GetAssignmentsForHIT', 'GetAssignmentsForHIT lists both submissions', async () => {
    const r = await call('GetAssignmentsForHIT', {
      HITId: S.hit, SortDirection: 'Ascending', SortProperty: 'SubmitTime', PageSize: 10,
      AssignmentStatus: ['Submitted'],
    });
    const got = Object.fromEntries(many(r, 'Assignment').map((a) => [text(a.AssignmentId), a]));
    eq(Object.keys(got).sort(), [S.a1, S.a2].sort(), 'AssignmentIds');
    eq(Number(r.NumResults), 2, 'NumResults');
    const a = got[S.a1];
    eq(text(a.WorkerId), S.w1, 'WorkerId');
    eq(text(a.AssignmentStatus), 'Submitted', 'AssignmentStatus');
    eq(C.parseAnswers(text(a.Answer))[QUESTION_ID], sampleAnswer(S.w1), 'FreeText answer');
  }, ['a2']);

  await m.step('GetAssignment', 'GetAssignment with its HIT', async () => {
    const r = await call('GetAssignment', { AssignmentId: S.a1 });
    eq(text(r.Assignment.AssignmentId), S.a1, 'AssignmentId');
    eq(text(r.Assignment.AssignmentStatus), 'Submitted', 'AssignmentStatus');
    eq(text(r.HIT.HITId), S.hit, 'HIT/HITId');
  }, ['a1']);

  await m.step('GetFileUploadURL', 'GetFileUploadURL serves the worker\'s file', async () => {
    const r = await call('GetFileUploadURL', { AssignmentId: S.a1, QuestionIdentifier: FILE_QUESTION });
    const url = text(r.FileUploadURL);
    ok(url && url.startsWith('http'), `FileUploadURL ${url}`);
    const got = await C.request('GET', url);
    eq(got.body.toString('utf8'), FILE_BYTES.toString('utf8'), 'the uploaded file at FileUploadURL');
  }, ['a1']);

  await m.step('GetReviewableHITs', 'GetReviewableHITs lists the HIT once both are submitted', async () => {
    const r = await call('GetReviewableHITs', { HITTypeId: S.t1, Status: 'Reviewable', PageSize: 10 });
    ok(many(r, 'HIT').map((h) => text(h.HITId)).includes(S.hit), 'GetReviewableHITs does not list the HIT');
  }, ['a2']);

  await m.step('SetHITAsReviewing', 'SetHITAsReviewing and back with Revert', async () => {
    await call('SetHITAsReviewing', { HITId: S.hit });
    eq(text((await hit(S.hit)).HITStatus), 'Reviewing', 'HITStatus after SetHITAsReviewing');
    await call('SetHITAsReviewing', { HITId: S.hit, Revert: true });
    eq(text((await hit(S.hit)).HITStatus), 'Reviewable', 'HITStatus after Revert');
  }, ['a2']);

  await m.step('ApproveAssignment', 'ApproveAssignment with feedback debits $0.30', async () => {
    await call('ApproveAssignment', { AssignmentId: S.a1, RequesterFeedback: 'Thanks!' });
    const a = await call('GetAssignment', { AssignmentId: S.a1, ResponseGroup: ['Minimal', 'AssignmentFeedback'] });
    eq(text(a.Assignment.AssignmentStatus), 'Approved', 'AssignmentStatus');
    eq(text(a.Assignment.RequesterFeedback), 'Thanks!', 'RequesterFeedback');
    eq(await balance(), S.b0 - 30, 'AvailableBalance in cents after one approval');
  }, ['a1', 'b0']);

  await m.step('RejectAssignment', 'RejectAssignment', async () => {
    await call('RejectAssignment', { AssignmentId: S.a2, RequesterFeedback: 'Not this time.' });
    eq(text((await call('GetAssignment', { AssignmentId: S.a2 })).Assignment.AssignmentStatus), 'Rejected', 'AssignmentStatus');
  }, ['a2']);

  await m.step('ApproveRejectedAssignment', 'ApproveRejectedAssignment', async () => {
    await call('ApproveRejectedAssignment', { AssignmentId: S.a2, RequesterFeedback: 'Sorry.' });
    eq(text((await call('GetAssignment', { AssignmentId: S.a2 })).Assignment.AssignmentStatus), 'Approved', 'AssignmentStatus');
    S.reviewed = true;
  }, ['a2']);

  await m.step('ApproveAssignment', 'ApproveAssignment twice -> InvalidAssignmentState', async () => {
    await expectError('ApproveAssignment', { AssignmentId: S.a1 }, 'AWS.MechanicalTurk.InvalidAssignmentState',
      'ApproveAssignment of an approved assignment');
  }, ['reviewed']);

  await m.step('GrantBonus', 'GrantBonus, then GetBonusPayments by HIT and by assignment', async () => {
    await call('GrantBonus', {
      WorkerId: S.w1, BonusAmount: { Amount: '0.50', CurrencyCode: 'USD' }, AssignmentId: S.a1,
      Reason: 'Great work', UniqueRequestToken: `bonus-${tag}`,
    });
    const r = await call('GetBonusPayments', { HITId: S.hit, PageNumber: 1, PageSize: 10 });
    const pays = many(r, 'BonusPayment');
    eq(pays.length, 1, 'BonusPayment elements');
    eq(text(pays[0].WorkerId), S.w1, 'BonusPayment WorkerId');
    eq(cents(pays[0].BonusAmount.Amount), 50, 'BonusAmount in cents');
    eq(text(pays[0].Reason), 'Great work', 'Reason');
    eq(Number((await call('GetBonusPayments', { AssignmentId: S.a1 })).NumResults), 1, 'NumResults by AssignmentId');
  }, ['a1']);

  await m.step('GetReviewResultsForHIT', 'GetReviewResultsForHIT of a HIT without policies', async () => {
    const r = await call('GetReviewResultsForHIT', {
      HITId: S.hit, PolicyLevel: ['Assignment', 'HIT'], RetrieveActions: true, RetrieveResults: true,
    });
    eq(text(r.HITId), S.hit, 'HITId');
  }, ['hit']);

  await m.step('NotifyWorkers', 'NotifyWorkers to two workers whose work was reviewed', async () => {
    const r = await call('NotifyWorkers', { Subject: 'Thanks', MessageText: 'More work soon.', WorkerId: [S.w1, S.w2] });
    eq(many(r, 'NotifyWorkersFailureStatus').length, 0, 'NotifyWorkersFailureStatus elements');
  }, ['reviewed']);

  await m.step('BlockWorker', 'BlockWorker, GetBlockedWorkers, UnblockWorker', async () => {
    await call('BlockWorker', { WorkerId: S.w2, Reason: 'matrix test' });
    const blocked = many(await call('GetBlockedWorkers', { PageNumber: 1, PageSize: 100 }), 'WorkerBlock');
    const mine = blocked.find((b) => text(b.WorkerId) === S.w2);
    ok(mine, `${S.w2} is not listed by GetBlockedWorkers`);
    eq(text(mine.Reason), 'matrix test', 'WorkerBlock Reason');
    await call('UnblockWorker', { WorkerId: S.w2, Reason: 'done' });
    const after = many(await call('GetBlockedWorkers', {}), 'WorkerBlock').map((b) => text(b.WorkerId));
    ok(!after.includes(S.w2), `${S.w2} still blocked after UnblockWorker`);
  }, ['w2']);

  await m.step('GetRequesterStatistic', 'GetRequesterStatistic and GetRequesterWorkerStatistic', async () => {
    const r = await call('GetRequesterStatistic', { Statistic: 'NumberAssignmentsApproved', TimePeriod: 'LifeToDate' });
    eq(text(r.Statistic), 'NumberAssignmentsApproved', 'Statistic');
    const points = many(r, 'DataPoint');
    eq(points.length, 1, 'DataPoint elements');
    eq(Number(points[0].LongValue), 2, 'approved assignments, life to date');
    const w = await call('GetRequesterWorkerStatistic', {
      Statistic: 'NumberAssignmentsApproved', TimePeriod: 'LifeToDate', WorkerId: S.w1,
    });
    eq(text(w.WorkerId), S.w1, 'WorkerId');
    eq(Number(many(w, 'DataPoint')[0].LongValue), 1, 'approved assignments of one worker');
  }, ['reviewed']);

  await m.step('DisposeHIT', 'DisposeHIT once every assignment is reviewed', async () => {
    await call('DisposeHIT', { HITId: S.hit });
    await expectError('GetHIT', { HITId: S.hit }, 'AWS.MechanicalTurk.HITDoesNotExist', 'GetHIT of a disposed HIT');
  }, ['reviewed']);

  // ---------------------------------------------------------------- qualifications
  await m.step('CreateQualificationType', 'CreateQualificationType', async () => {
    const q = await call('CreateQualificationType', {
      Name: `matrix qualification ${tag}`, Keywords: 'matrix', Description: 'A qualification of the client matrix.',
      QualificationTypeStatus: 'Active', RetryDelayInSeconds: 60, AutoGranted: false,
    });
    ok(q.QualificationTypeId, 'no QualificationTypeId', JSON.stringify(q));
    eq(text(q.QualificationTypeStatus), 'Active', 'QualificationTypeStatus');
    S.qt = text(q.QualificationTypeId);
  });

  await m.step('GetQualificationType', 'GetQualificationType', async () => {
    const q = await call('GetQualificationType', { QualificationTypeId: S.qt });
    eq(text(q.Name), `matrix qualification ${tag}`, 'Name');
    eq(text(q.Description), 'A qualification of the client matrix.', 'Description');
  }, ['qt']);

  await m.step('UpdateQualificationType', 'UpdateQualificationType changes the Description', async () => {
    const q = await call('UpdateQualificationType', { QualificationTypeId: S.qt, Description: 'Updated by the matrix.' });
    eq(text(q.Description), 'Updated by the matrix.', 'Description');
  }, ['qt']);

  await m.step('SearchQualificationTypes', 'SearchQualificationTypes finds it', async () => {
    const r = await call('SearchQualificationTypes', {
      Query: `matrix qualification ${tag}`, MustBeRequestable: false, MustBeOwnedByCaller: true,
      SortDirection: 'Ascending', SortProperty: 'Name', PageSize: 10,
    });
    ok(many(r, 'QualificationType').map((q) => text(q.QualificationTypeId)).includes(S.qt),
      'SearchQualificationTypes does not list the type');
  }, ['qt']);

  await m.step('GetHITsForQualificationType', 'CreateHIT with a QualificationRequirement; GetHITsForQualificationType', async () => {
    const h = await call('CreateHIT', {
      MaxAssignments: 1, LifetimeInSeconds: 86400, AssignmentDurationInSeconds: 600,
      Reward: { Amount: '0.25', CurrencyCode: 'USD' }, Title: `matrix qualified ${tag}`,
      Description: 'Needs the matrix qualification.', Question: EXTERNAL_QUESTION,
      QualificationRequirement: [{
        QualificationTypeId: S.qt, Comparator: 'GreaterThanOrEqualTo', IntegerValue: [50], RequiredToPreview: false,
      }],
    });
    S.hit2 = text(h.HITId);
    const r = await call('GetHITsForQualificationType', { QualificationTypeId: S.qt, PageSize: 10 });
    eq(many(r, 'HIT').map((x) => text(x.HITId)), [S.hit2], 'GetHITsForQualificationType HITIds');
    const reqs = many(await hit(S.hit2), 'QualificationRequirement');
    eq(reqs.length, 1, 'QualificationRequirement elements');
    eq(text(reqs[0].Comparator), 'GreaterThanOrEqualTo', 'Comparator');
  }, ['qt']);

  await m.step('GrantQualification', 'a worker asks; GetQualificationRequests; GrantQualification', async () => {
    const w = C.workerId();
    const qr = await admin.requestQualification(w, S.qt);
    const r = await call('GetQualificationRequests', { QualificationTypeId: S.qt, SortProperty: 'SubmitTime', PageSize: 10 });
    const reqs = many(r, 'QualificationRequest');
    eq(reqs.map((q) => text(q.QualificationRequestId)), [qr], 'requests listed');
    eq(text(reqs[0].SubjectId), w, 'SubjectId');
    await call('GrantQualification', { QualificationRequestId: qr, IntegerValue: 80 });
    S.wq = w;
  }, ['qt']);

  await m.step('RejectQualificationRequest', 'RejectQualificationRequest', async () => {
    const qr = await admin.requestQualification(C.workerId(), S.qt);
    await call('RejectQualificationRequest', { QualificationRequestId: qr, Reason: 'Please try later.' });
    eq(many(await call('GetQualificationRequests', { QualificationTypeId: S.qt }), 'QualificationRequest').length, 0,
      'requests after the rejection');
  }, ['qt']);

  await m.step('AssignQualification', 'AssignQualification; GetQualificationScore', async () => {
    const w = C.workerId();
    await call('AssignQualification', { QualificationTypeId: S.qt, WorkerId: w, IntegerValue: 60, SendNotification: false });
    S.wa = w;
    const q = await call('GetQualificationScore', { QualificationTypeId: S.qt, SubjectId: w });
    eq(Number(q.IntegerValue), 60, 'IntegerValue of the assigned qualification');
    eq(text(q.Status), 'Granted', 'Status');
  }, ['qt']);

  await m.step('UpdateQualificationScore', 'UpdateQualificationScore of the granted worker', async () => {
    await call('UpdateQualificationScore', { QualificationTypeId: S.qt, SubjectId: S.wq, IntegerValue: 90 });
    const q = await call('GetQualificationScore', { QualificationTypeId: S.qt, SubjectId: S.wq });
    eq(Number(q.IntegerValue), 90, 'IntegerValue after UpdateQualificationScore');
  }, ['wq']);

  await m.step('GetQualificationsForQualificationType', 'GetQualificationsForQualificationType', async () => {
    const r = await call('GetQualificationsForQualificationType', { QualificationTypeId: S.qt, Status: 'Granted', PageSize: 10 });
    eq(many(r, 'Qualification').map((q) => text(q.SubjectId)).sort(), [S.wq, S.wa].sort(), 'holders of the qualification');
  }, ['wq', 'wa']);

  await m.step('RevokeQualification', 'RevokeQualification', async () => {
    await call('RevokeQualification', { SubjectId: S.wa, QualificationTypeId: S.qt, Reason: 'matrix revoke' });
    const r = await call('GetQualificationsForQualificationType', { QualificationTypeId: S.qt });
    eq(many(r, 'Qualification').map((q) => text(q.SubjectId)), [S.wq], 'holders after RevokeQualification');
  }, ['wa', 'wq']);

  // ---------------------------------------------------------------- the second HIT
  await m.step('ExtendHIT', 'ExtendHIT adds an assignment and an hour', async () => {
    const before = await hit(S.hit2);
    await call('ExtendHIT', {
      HITId: S.hit2, MaxAssignmentsIncrement: 1, ExpirationIncrementInSeconds: 3600, UniqueRequestToken: `extend-${tag}`,
    });
    const after = await hit(S.hit2);
    eq(Number(after.MaxAssignments), Number(before.MaxAssignments) + 1, 'MaxAssignments after ExtendHIT');
    ok(new Date(text(after.Expiration)) > new Date(text(before.Expiration)), 'Expiration did not move');
  }, ['hit2']);

  await m.step('ChangeHITTypeOfHIT', 'ChangeHITTypeOfHIT to a type with the same reward', async () => {
    const spec = hitTypeSpec(`matrix other type ${tag}`);
    S.t2 = text((await call('RegisterHITType', spec)).HITTypeId);
    await call('ChangeHITTypeOfHIT', { HITId: S.hit2, HITTypeId: S.t2 });
    const h = await hit(S.hit2);
    eq(text(h.HITTypeId), S.t2, 'HITTypeId after ChangeHITTypeOfHIT');
    eq(text(h.Title), spec.Title, 'Title after ChangeHITTypeOfHIT');
  }, ['hit2']);

  await m.step('SetHITTypeNotification', 'SetHITTypeNotification (Email) and SendTestEventNotification', async () => {
    await call('SetHITTypeNotification', { HITTypeId: S.t2, Notification: NOTIFICATION, Active: true });
    await call('SendTestEventNotification', { Notification: NOTIFICATION, TestEventType: 'Ping' });
  }, ['t2']);

  await m.step('DisableHIT', 'DisableHIT removes an assignable HIT', async () => {
    await call('DisableHIT', { HITId: S.hit2 });
    await expectError('GetHIT', { HITId: S.hit2 }, 'AWS.MechanicalTurk.HITDoesNotExist', 'GetHIT of a disabled HIT');
  }, ['hit2']);

  await m.step('ForceExpireHIT', 'ForceExpireHIT on a new HIT', async () => {
    const created = await call('CreateHIT', { HITTypeId: S.t1, LifetimeInSeconds: 3600, Question: EXTERNAL_QUESTION });
    await call('ForceExpireHIT', { HITId: text(created.HITId) });
    const h = await hit(text(created.HITId));
    ok(['Reviewable', 'Unassignable'].includes(text(h.HITStatus)), `HITStatus after ForceExpireHIT: ${text(h.HITStatus)}`);
    ok(new Date(text(h.Expiration)) <= new Date(), `Expiration ${text(h.Expiration)} is in the future`);
  }, ['t1']);

  await m.step('DisposeQualificationType', 'DisposeQualificationType', async () => {
    await call('DisposeQualificationType', { QualificationTypeId: S.qt });
    await expectError('GetQualificationType', { QualificationTypeId: S.qt }, '*DoesNotExist',
      'GetQualificationType of a disposed type');
  }, ['qt']);

  await m.step('Help', 'Help about GetHIT', async () => {
    const r = await call('Help', { About: ['GetHIT'], HelpType: 'Operation' });
    eq(many(r, 'OperationInformation').map((i) => text(i.Name)), ['GetHIT'], 'OperationInformation Name');
  });

  // ---------------------------------------------------------------- errors decode
  await m.step('GetHIT', 'GetHIT of an unknown id -> HITDoesNotExist', async () => {
    await expectError('GetHIT', { HITId: C.unique('NOSUCHHIT', 10) }, 'AWS.MechanicalTurk.HITDoesNotExist',
      'GetHIT of an unknown HIT');
  });

  return m.finish(OPERATIONS);
}

/** The op's first result element from a node-soap result object, or a ServiceError. */
function resultOf(op, response, raw) {
  const codes = [];
  const opreq = (response && response.OperationRequest) || {};
  for (const e of many(opreq.Errors, 'Error')) codes.push({ where: 'OperationRequest', code: text(e.Code), message: text(e.Message) });
  const results = many(response, RESULT_ELEMENT[op] || `${op}Result`);
  for (const r of results) {
    for (const e of many((r.Request || {}).Errors, 'Error')) codes.push({ where: 'Request', code: text(e.Code), message: text(e.Message) });
  }
  const onWire = C.xmlErrors(raw);
  if (codes.length || onWire.length) {
    // Errors the library did not surface are still errors.
    throw new C.ServiceError(op, codes.length ? codes : onWire, raw);
  }
  if (results.length !== 1) fail(`${op}: expected one result element, got ${results.length}`, C.clip(raw));
  const res = { ...results[0] };
  eq(text((res.Request || {}).IsValid), 'True', `${op} Request/IsValid`, C.clip(raw));
  delete res.Request;
  return res;
}

module.exports = { OPERATIONS, RESULT_ELEMENT, run, resultOf, Matrix };
