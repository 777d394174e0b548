import type { TokenClaims } from '../src/auth/jwt';
import type { RequestUser } from '../src/auth/request-user';
import { Role } from '../src/auth/roles';
import { loadConfig } from '../src/config';
import { AccessPolicy } from '../src/modules/access/access-policy';
import { DisclosureLedger } from '../src/modules/audit/disclosure-ledger';
import { DataCategory } from '../src/modules/consent/data-category';
import { Notification } from '../src/modules/notifications/notification.entity';
import { Notifier } from '../src/modules/notifications/notify';
import { addBusinessDays } from '../src/modules/referrals/business-days';
import { ReferralUrgency } from '../src/modules/referrals/referral-packet';
import { ReferralReminder, ReferralReminderKind } from '../src/modules/referrals/referral-reminder.entity';
import { acknowledgementDue, acknowledgementWindowsOf, remindReferrals, type AcknowledgementWindows } from '../src/modules/referrals/referral-reminders';
import { Referral } from '../src/modules/referrals/referral.entity';
import { ReferralService } from '../src/modules/referrals/referral.service';
import { startHarness, type Harness } from './helpers/harness';
import { startTestWorkers, until } from './helpers/workers';
import { addColleague, addSecondProgram, seedWorld, type SecondProgram, type World } from './helpers/world';

describe('business days', () => {
  // 2026-11-20 is a Friday.
  it.each([
    ['Monday 10:00 + 1', '2026-11-16T10:00:00Z', 1, '2026-11-17T10:00:00Z'],
    ['Thursday 10:00 + 2', '2026-11-19T10:00:00Z', 2, '2026-11-23T10:00:00Z'],
    ['Friday 10:00 + 1', '2026-11-20T10:00:00Z', 1, '2026-11-23T10:00:00Z'],
    ['Friday 10:00 + 2', '2026-11-20T10:00:00Z', 2, '2026-11-24T10:00:00Z'],
    ['Friday 23:59 + 2', '2026-11-20T23:59:00Z', 2, '2026-11-24T23:59:00Z'],
    ['Saturday 10:00 + 2 (counted from Monday 00:00)', '2026-11-21T10:00:00Z', 2, '2026-11-25T00:00:00Z'],
    ['Sunday 23:00 + 1', '2026-11-22T23:00:00Z', 1, '2026-11-24T00:00:00Z'],
    ['Monday 00:00 + 5 (a whole week)', '2026-11-23T00:00:00Z', 5, '2026-11-30T00:00:00Z'],
    ['Wednesday 09:00 + 10 (two weekends)', '2026-11-18T09:00:00Z', 10, '2026-12-02T09:00:00Z'],
    ['Friday + 0', '2026-11-20T10:00:00Z', 0, '2026-11-20T10:00:00Z'],
  ])('%s', (_name, start, days, due) => {
    expect(addBusinessDays(new Date(start), days).toISOString()).toBe(new Date(due).toISOString());
  });

  it('a routine referral has business days, an urgent or emergent one hours (configurable; 2 days, 4 h and 1 h by default)', () => {
    const windows = acknowledgementWindowsOf(loadConfig({ NODE_ENV: 'test' }));
    expect(windows).toEqual({ routineBusinessDays: 2, urgentHours: 4, emergentHours: 1 });
    const friday = new Date('2026-11-20T10:00:00Z');
    expect(acknowledgementDue(friday, ReferralUrgency.ROUTINE, windows).toISOString()).toBe('2026-11-24T10:00:00.000Z');
    expect(acknowledgementDue(friday, ReferralUrgency.URGENT, windows).toISOString()).toBe('2026-11-20T14:00:00.000Z');
    expect(acknowledgementDue(friday, ReferralUrgency.EMERGENT, windows).toISOString()).toBe('2026-11-20T11:00:00.000Z');
    const configured = acknowledgementWindowsOf(loadConfig({ NODE_ENV: 'test', REFERRAL_ACK_BUSINESS_DAYS: '3', REFERRAL_ACK_URGENT_HOURS: '8', REFERRAL_ACK_EMERGENT_HOURS: '0.5' }));
    expect(configured).toEqual({ routineBusinessDays: 3, urgentHours: 8, emergentHours: 0.5 });
    expect(() => loadConfig({ NODE_ENV: 'test', REFERRAL_ACK_BUSINESS_DAYS: '0' })).toThrow();
  });
});

describe('the reminder sweep', () => {
  let h: Harness;
  let world: World;
  let second: SecondProgram;
  let clinician: TokenClaims;
  let localProvider: TokenClaims;
  let localColleague: TokenClaims;
  const referrals = new ReferralService();
  const notifier = new Notifier({ email: false });
  const windows: AcknowledgementWindows = { routineBusinessDays: 2, urgentHours: 4, emergentHours: 1 };

  beforeAll(async () => {
    h = await startHarness();
    world = await seedWorld(h.orm.em.fork());
    second = await addSecondProgram(h.orm.em.fork(), world);
    clinician = world.claims[Role.IOP_CLINICIAN];
    localProvider = world.claims[Role.LOCAL_PROVIDER];
    localColleague = await addColleague(h.orm.em.fork(), localProvider);
  });
  afterAll(() => h.close());

  const requestUser = (claims: TokenClaims): RequestUser => ({ id: claims.userId, role: claims.role, organizationId: claims.organizationId ?? null, patientId: null });
  const as = (claims: TokenClaims) => {
    const em = h.orm.em.fork();
    return { em, access: new AccessPolicy(em, requestUser(claims), new DisclosureLedger()), actor: requestUser(claims) };
  };
  const current = (id: string) => h.orm.em.fork().findOneOrFail(Referral, id);

  /** A referral sent (the real service) as of `sentAt` (set in the database: the sweep's clock is the one passed in). */
  async function sentReferral(urgency: ReferralUrgency, sentAt: string, recipient: TokenClaims = localProvider): Promise<string> {
    const me = as(clinician);
    const draft = await referrals.create(me.em, me.access, me.actor, {
      patientId: world.patients[0].id,
      recipientOrganizationId: recipient.organizationId!,
      urgency,
      requestedService: 'Outpatient psychiatry',
      reason: 'Needs in-person care',
      clinicalQuestion: 'Medication review?',
      requestedCategories: [DataCategory.DIAGNOSES],
    });
    await referrals.send(me.em, me.access, me.actor, draft.id, draft.version);
    await h.orm.em.fork().nativeUpdate(Referral, { id: draft.id }, { sentAt: new Date(sentAt) });
    return draft.id;
  }

  /** The recipient's moves, through the service, up to a booked appointment at `at`. */
  async function booked(id: string, at: string): Promise<void> {
    const them = () => as(localProvider);
    let step = them();
    await referrals.receive(step.em, step.access, step.actor, id, (await current(id)).version);
    step = them();
    await referrals.accept(step.em, step.access, step.actor, id, (await current(id)).version);
    step = them();
    await referrals.schedule(step.em, step.access, step.actor, id, (await current(id)).version, new Date(at), 'Clinic, room 4');
  }

  const remindersOf = (id: string) => h.orm.em.fork().find(ReferralReminder, { referral: id }, { orderBy: { createdAt: 'asc' } });
  /** Who was told what about the referral, as [kind, userId] pairs. */
  async function toldOf(id: string, kinds: string[] = ['referral.reminder', 'referral.unacknowledged', 'referral.outcome-due']): Promise<[string, string][]> {
    const notifications = await h.orm.em.fork().find(Notification, { subjectId: id, kind: { $in: kinds } });
    return notifications.map((each): [string, string] => [each.kind, each.recipient.id]).sort();
  }
  const sweep = (now: string) => remindReferrals(h.orm.em.fork(), notifier, windows, new Date(now));

  it('a routine referral sent on a Friday is due after 2 business days, across the weekend: the recipient reminded, the sender alerted, once', async () => {
    const id = await sentReferral(ReferralUrgency.ROUTINE, '2026-11-20T10:00:00Z');
    await sweep('2026-11-22T23:00:00Z'); // Sunday: two calendar days, no business day
    await sweep('2026-11-24T09:59:00Z'); // Tuesday, a minute early
    expect(await remindersOf(id)).toEqual([]);
    expect(await toldOf(id)).toEqual([]);

    await sweep('2026-11-24T10:00:00Z');
    const [reminder, ...more] = await remindersOf(id);
    expect(more).toEqual([]);
    expect(reminder).toMatchObject({ kind: ReferralReminderKind.ACKNOWLEDGE, occasionAt: new Date('2026-11-20T10:00:00Z'), dueAt: new Date('2026-11-24T10:00:00Z') });
    expect(await toldOf(id)).toEqual(
      [
        ['referral.reminder', localProvider.userId],
        ['referral.reminder', localColleague.userId],
        ['referral.unacknowledged', clinician.userId],
      ].sort(),
    );

    await sweep('2026-11-25T10:00:00Z');
    await sweep('2026-12-20T10:00:00Z');
    expect(await remindersOf(id)).toHaveLength(1);
    expect(await toldOf(id)).toHaveLength(3);
  });

  it('an urgent referral is due in hours (4), an emergent one in 1, weekend or not', async () => {
    const urgent = await sentReferral(ReferralUrgency.URGENT, '2026-11-21T08:00:00Z'); // a Saturday
    const emergent = await sentReferral(ReferralUrgency.EMERGENT, '2026-11-21T08:00:00Z');
    await sweep('2026-11-21T08:59:00Z');
    expect([await remindersOf(urgent), await remindersOf(emergent)]).toEqual([[], []]);
    await sweep('2026-11-21T09:00:00Z');
    expect(await remindersOf(urgent)).toEqual([]);
    expect(await remindersOf(emergent)).toHaveLength(1);
    await sweep('2026-11-21T11:59:00Z');
    expect(await remindersOf(urgent)).toEqual([]);
    await sweep('2026-11-21T12:00:00Z');
    expect(await remindersOf(urgent)).toHaveLength(1);
    expect(await toldOf(urgent)).toContainEqual(['referral.unacknowledged', clinician.userId]);
  });

  it('an acknowledged referral (RECEIVED, ACCEPTED) is not reminded; nor a draft, a cancelled one or another organization', async () => {
    const received = await sentReferral(ReferralUrgency.EMERGENT, '2026-11-16T08:00:00Z');
    let them = as(localProvider);
    await referrals.receive(them.em, them.access, them.actor, received, (await current(received)).version);
    const accepted = await sentReferral(ReferralUrgency.EMERGENT, '2026-11-16T08:00:00Z');
    them = as(localProvider);
    await referrals.receive(them.em, them.access, them.actor, accepted, (await current(accepted)).version);
    them = as(localProvider);
    await referrals.accept(them.em, them.access, them.actor, accepted, (await current(accepted)).version);
    const cancelled = await sentReferral(ReferralUrgency.EMERGENT, '2026-11-16T08:00:00Z');
    const me = as(clinician);
    await referrals.cancel(me.em, me.access, me.actor, cancelled, (await current(cancelled)).version, 'Admitted to hospital');
    const draft = await referrals.create(me.em, me.access, me.actor, {
      patientId: world.patients[0].id,
      recipientOrganizationId: localProvider.organizationId!,
      urgency: ReferralUrgency.EMERGENT,
      requestedService: 'Detox',
      reason: 'Withdrawal',
      clinicalQuestion: 'Admission?',
      requestedCategories: [],
    });
    await sweep('2026-11-30T08:00:00Z');
    for (const id of [received, accepted, cancelled, draft.id]) expect(await remindersOf(id)).toEqual([]);

    // Waiting on the practice (the PCP's organization): its own users are reminded, not the local provider's.
    const toPractice = await sentReferral(ReferralUrgency.EMERGENT, '2026-11-16T08:00:00Z', world.claims[Role.PCP]);
    await sweep('2026-11-30T08:00:00Z');
    const told = await toldOf(toPractice);
    expect(told).toContainEqual(['referral.reminder', world.claims[Role.PCP].userId]);
    expect(told.map(([, userId]) => userId)).not.toContain(localProvider.userId);
    expect(told.map(([, userId]) => userId)).not.toContain(second.clinician.userId);
  });

  it('an appointment passed without an outcome: the recipient is asked once; a reschedule asks again once it passes; an outcome stops it', async () => {
    const id = await sentReferral(ReferralUrgency.ROUTINE, '2026-11-16T08:00:00Z');
    await booked(id, '2026-11-26T15:00:00Z');
    await sweep('2026-11-26T14:59:00Z');
    expect((await remindersOf(id)).map((each) => each.kind)).toEqual([]);
    await sweep('2026-11-26T15:01:00Z');
    await sweep('2026-11-27T15:01:00Z');
    expect((await remindersOf(id)).map((each) => [each.kind, each.occasionAt.toISOString()])).toEqual([[ReferralReminderKind.OUTCOME, '2026-11-26T15:00:00.000Z']]);
    expect(await toldOf(id, ['referral.outcome-due'])).toEqual(
      [
        ['referral.outcome-due', localProvider.userId],
        ['referral.outcome-due', localColleague.userId],
      ].sort(),
    );

    const them = as(localProvider);
    await referrals.schedule(them.em, them.access, them.actor, id, (await current(id)).version, new Date('2026-12-03T15:00:00Z'), 'Clinic, room 5');
    await sweep('2026-11-28T15:00:00Z');
    expect(await remindersOf(id)).toHaveLength(1);
    await sweep('2026-12-03T16:00:00Z');
    await sweep('2026-12-04T16:00:00Z');
    expect((await remindersOf(id)).map((each) => each.occasionAt.toISOString())).toEqual(['2026-11-26T15:00:00.000Z', '2026-12-03T15:00:00.000Z']);
    expect(await toldOf(id, ['referral.outcome-due'])).toHaveLength(4);

    const done = await sentReferral(ReferralUrgency.ROUTINE, '2026-11-16T08:00:00Z');
    await booked(done, '2026-11-26T15:00:00Z');
    const step = as(localProvider);
    await referrals.markNoShow(step.em, step.access, step.actor, done, (await current(done)).version);
    await sweep('2026-11-30T08:00:00Z');
    expect(await remindersOf(done)).toEqual([]);
  });

  it('two sweeps at once send one reminder', async () => {
    const id = await sentReferral(ReferralUrgency.EMERGENT, '2026-11-23T08:00:00Z');
    await Promise.all([sweep('2026-11-23T10:00:00Z'), sweep('2026-11-23T10:00:00Z'), sweep('2026-11-23T10:00:00Z')]);
    expect(await remindersOf(id)).toHaveLength(1);
    expect(await toldOf(id)).toEqual(
      [
        ['referral.reminder', localProvider.userId],
        ['referral.reminder', localColleague.userId],
        ['referral.unacknowledged', clinician.userId],
      ].sort(),
    );
  });

  it("the worker's reconcile sweep finds a due referral in the database (nothing queued in Redis)", async () => {
    const id = await sentReferral(ReferralUrgency.EMERGENT, new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString());
    const workers = startTestWorkers(h);
    try {
      const found = await until(() => remindersOf(id), (reminders) => reminders.length > 0, 20_000);
      expect(found).toHaveLength(1);
    } finally {
      await workers.stop();
    }
    expect(await toldOf(id)).toContainEqual(['referral.unacknowledged', clinician.userId]);
  });
});
