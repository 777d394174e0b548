import { useState } from 'react';
import { FormProblem } from './Field';
import { formErrorsOf, noErrors, type FormErrors } from './field-errors';

/** A form's sending: whether it is under way, what the API refused (by field), and what was recorded. */
export function useSubmission() {
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  /** Sends with `send`, which resolves to the sentence that says what was recorded. */
  const run = async (send: () => Promise<string>) => {
    setBusy(true);
    setErrors(noErrors);
    setDone('');
    try {
      setDone(await send());
    } catch (failure) {
      setErrors(formErrorsOf(failure));
    } finally {
      setBusy(false);
    }
  };
  return { errors, setErrors, busy, done, run };
}

/** The end of a form: what was refused and why, what was recorded, and the submit button. */
export function SubmissionFooter({ submission, what, label, onRefresh }: { submission: ReturnType<typeof useSubmission>; what: string; label: string; onRefresh: () => void }) {
  const { errors, busy, done } = submission;
  return (
    <>
      {errors.fields.form && (
        <p role="alert" className="error">
          {errors.fields.form}
        </p>
      )}
      <FormProblem error={errors.general} onRefresh={onRefresh} />
      {Object.keys(errors.fields).length > 0 && (
        <p role="alert" className="error">
          The {what} was not recorded: correct the marked fields.
        </p>
      )}
      <p role="status">{done}</p>
      <button type="submit" disabled={busy} aria-busy={busy}>
        {label}
      </button>
    </>
  );
}
