import { Link } from 'wouter';

export function NotFound() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Page not found</h1>
      <p>
        There is no page at this address. <Link href="/">Go to your home page</Link>.
      </p>
    </section>
  );
}

export function NotForYourRole() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Not available</h1>
      <p role="alert">
        This page is not available to your role. <Link href="/">Go to your home page</Link>.
      </p>
    </section>
  );
}
