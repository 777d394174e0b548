export function SystemAccount() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">System account</h1>
      <p>This account sends results to CareBridge through its interfaces (HL7 v2, FHIR); it has no pages in the portal.</p>
    </section>
  );
}
