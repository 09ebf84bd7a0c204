import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { formatVietnameseMobile, normalizeVietnameseMobile, pinProblem } from '../../../api/src/domain/phone-login.js';
import { digitsOnly } from '../screens/login-screen.js';
import type { ConsoleLang } from '../messages.js';
import { fieldErrorText } from '../problem-messages.js';
import { fetchAll, FormSubmit, LoadedView, useAction, useCoop, useLoad, useMessages } from './coop-context.js';
import { FARMER_LOGIN_MESSAGES } from './messages/farmer-logins.js';

interface Member {
  id: string;
  name: string;
}

/** A user as the API lists it (never a password or a PIN). */
interface LoginUser {
  id: string;
  orgId: string;
  name: string;
  email: string | null;
  phone: string | null;
  role: string;
}

/** A field the form refuses to send, and why in the UI's words. */
interface Refusal {
  field: 'phone' | 'pin';
  text: string;
}

/** Why the form will not send a phone and PIN (the server checks the same rules): null when it may. */
function phoneLoginProblem(lang: ConsoleLang, phone: string, pin: string): Refusal | null {
  const normalized = normalizeVietnameseMobile(phone);
  if (!normalized) return { field: 'phone', text: fieldErrorText({ path: 'phone', code: 'phone-invalid' }, lang) };
  const problem = pinProblem(pin, normalized);
  return problem ? { field: 'pin', text: fieldErrorText({ path: 'pin', code: `pin-${problem}` }, lang) } : null;
}

/** The refusal of one field, announced, with the id its input names in aria-describedby. */
function Refused({ id, refusal, field }: { id: string; refusal: Refusal | null; field: Refusal['field'] }) {
  return refusal?.field === field ? (
    <p id={id} class="error" role="alert">
      {refusal.text}
    </p>
  ) : null;
}

/**
 * The admin's part of the members screen for farmers' logins: who has one (phones in the
 * grouping people read, 0912 345 678), a new login (phone and PIN first, email and password the
 * other choice), and a new PIN for a farmer who forgot theirs.
 */
export function FarmerLogins({ members, preselected }: { members: Member[]; preselected: string | null }) {
  const m = useMessages(FARMER_LOGIN_MESSAGES);
  const loaded = useLoad<LoginUser[]>('farmer-logins', (coop) => fetchAll<LoginUser>(coop, '/api/v1/users'));
  return (
    <>
      <h2 id="farmers-heading">{m.farmersHeading}</h2>
      <LoadedView loaded={loaded}>{(users) => <FarmersTable farmers={users.filter((u) => u.role === 'farmer')} members={members} />}</LoadedView>
      <FarmerLoginForm members={members} preselected={preselected} onCreated={loaded.reload} />
    </>
  );
}

function FarmersTable({ farmers, members }: { farmers: LoginUser[]; members: Member[] }) {
  const m = useMessages(FARMER_LOGIN_MESSAGES);
  const [resetting, setResetting] = useState<LoginUser | null>(null);
  if (farmers.length === 0) return <p>{m.noFarmers}</p>;
  const household = (orgId: string) => members.find((o) => o.id === orgId)?.name ?? orgId;
  return (
    <>
      <div class="table-scroll">
        <table class="data" id="farmers-table">
          <thead>
            <tr>
              <th scope="col">{m.farmer}</th>
              <th scope="col">{m.household}</th>
              <th scope="col">{m.phone}</th>
              <th scope="col">{m.email}</th>
              <th scope="col">{m.pinColumn}</th>
            </tr>
          </thead>
          <tbody>
            {farmers.map((u) => (
              <tr key={u.id} data-user-id={u.id}>
                <th scope="row">{u.name}</th>
                <td>{household(u.orgId)}</td>
                <td class="nowrap">{u.phone ? formatVietnameseMobile(u.phone) : m.none}</td>
                <td>{u.email ?? m.none}</td>
                <td>
                  {u.phone ? (
                    <button type="button" aria-label={m.resetPin(u.name)} aria-expanded={resetting?.id === u.id} onClick={() => setResetting(u)}>
                      {m.resetPinButton}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {resetting ? <PinResetForm key={resetting.id} farmer={resetting} onClose={() => setResetting(null)} /> : null}
    </>
  );
}

function PinResetForm({ farmer, onClose }: { farmer: LoginUser; onClose: () => void }) {
  const m = useMessages(FARMER_LOGIN_MESSAGES);
  const { lang } = useCoop();
  const action = useAction();
  const [pin, setPin] = useState('');
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    const problem = phoneLoginProblem(lang, farmer.phone ?? '', pin);
    setRefused(problem);
    if (problem) return;
    const answer = await action.run<LoginUser>(`/api/v1/users/${farmer.id}/pin`, { method: 'PUT', json: { pin } });
    if (!answer) return;
    setPin('');
    setDone(m.pinReset(farmer.name));
  };
  return (
    <form id="pin-reset" onSubmit={submit} aria-labelledby="pin-reset-heading">
      <h3 id="pin-reset-heading">{m.resetPin(farmer.name)}</h3>
      <p>
        {m.phone}: <span class="nowrap">{formatVietnameseMobile(farmer.phone ?? '')}</span>
      </p>
      <PinInput id="new-pin" label={m.newPin} value={pin} onInput={setPin} refused={refused} hint={m.pinHint} />
      <FormSubmit action={action} label={m.savePin} busyLabel={m.savingPin} done={done} />
      <button type="button" onClick={onClose}>
        {done ? m.close : m.cancel}
      </button>
    </form>
  );
}

/** A PIN as an admin sets it: a numeric keypad, digits only, never offered to a password manager. */
function PinInput({ id, label, value, onInput, refused, hint }: { id: string; label: string; value: string; onInput: (pin: string) => void; refused: Refusal | null; hint: string }) {
  const invalid = refused?.field === 'pin';
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        inputMode="numeric"
        pattern="[0-9]*"
        autoComplete="off"
        required
        aria-describedby={`${id}-hint${invalid ? ` ${id}-refused` : ''}`}
        aria-invalid={invalid || undefined}
        value={value}
        onInput={(e) => onInput((e.currentTarget.value = digitsOnly(e.currentTarget.value)))}
      />
      <Refused id={`${id}-refused`} refusal={refused} field="pin" />
      <p id={`${id}-hint`} class="small">
        {hint}
      </p>
    </>
  );
}

function FarmerLoginForm({ members, preselected, onCreated }: { members: Member[]; preselected: string | null; onCreated: () => void }) {
  const m = useMessages(FARMER_LOGIN_MESSAGES);
  const { lang } = useCoop();
  const action = useAction();
  const [chosen, setChosen] = useState<string | null>(null);
  const [method, setMethod] = useState<'phone' | 'email'>('phone');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [pin, setPin] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const orgId = chosen ?? preselected ?? members[0]?.id ?? '';
  if (members.length === 0) return null;
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    const problem = method === 'phone' ? phoneLoginProblem(lang, phone, pin) : null;
    setRefused(problem);
    if (problem) return;
    const logins = method === 'phone' ? { phone, pin } : { email, password };
    const created = await action.run<LoginUser>('/api/v1/users', { json: { ...logins, name, role: 'farmer', orgId } });
    if (!created) return;
    const login = created.phone ? formatVietnameseMobile(created.phone) : (created.email ?? '');
    setDone(m.loginCreated(login, members.find((o) => o.id === orgId)?.name ?? ''));
    for (const clear of [setName, setPhone, setPin, setEmail, setPassword]) clear('');
    onCreated();
  };
  return (
    <form id="farmer-login" onSubmit={submit} aria-labelledby="login-heading">
      <h2 id="login-heading">{m.loginHeading}</h2>
      <label for="login-member">{m.loginFor}</label>
      <select id="login-member" value={orgId} onChange={(e) => setChosen(e.currentTarget.value)}>
        {members.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      <label for="login-name">{m.farmerName}</label>
      <input id="login-name" required autocomplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <fieldset>
        <legend>{m.loginWith}</legend>
        <label class="choice">
          <input type="radio" name="farmer-login-method" id="farmer-login-phone" checked={method === 'phone'} onChange={() => setMethod('phone')} />
          {m.withPhone}
        </label>
        <label class="choice">
          <input type="radio" name="farmer-login-method" id="farmer-login-email" checked={method === 'email'} onChange={() => setMethod('email')} />
          {m.withEmail}
        </label>
      </fieldset>
      {method === 'phone' ? (
        <Fragment key="phone">
          <label for="login-phone">{m.phone}</label>
          <input
            id="login-phone"
            type="tel"
            inputMode="tel"
            autocomplete="off"
            placeholder="0912 345 678"
            required
            aria-describedby={refused?.field === 'phone' ? 'login-phone-refused' : undefined}
            aria-invalid={refused?.field === 'phone' || undefined}
            value={phone}
            onInput={(e) => setPhone(e.currentTarget.value)}
          />
          <Refused id="login-phone-refused" refusal={refused} field="phone" />
          <PinInput id="login-pin" label={m.pin} value={pin} onInput={setPin} refused={refused} hint={m.pinHint} />
        </Fragment>
      ) : (
        <Fragment key="email">
          <label for="login-email">{m.email}</label>
          <input id="login-email" type="email" required autocomplete="off" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          <label for="login-password">{m.password}</label>
          <input id="login-password" type="password" required autocomplete="new-password" aria-describedby="login-password-hint" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          <p id="login-password-hint" class="small">
            {m.passwordHint}
          </p>
        </Fragment>
      )}
      <FormSubmit action={action} label={m.createLogin} busyLabel={m.creatingLogin} done={done} />
    </form>
  );
}
