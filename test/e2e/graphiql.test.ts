import type { Page } from 'playwright-core';
import { until } from '../helpers/workers';
import { saveScreenshot, signInAs, portalForThisFile } from './browser';

const portal = portalForThisFile();

/** Replaces the query editor's text, runs it, and returns the result pane's text (spaces collapsed) once it shows `expected`. */
async function run(page: Page, query: string, expected: string): Promise<string> {
  await page.locator('.graphiql-query-editor .monaco-editor').first().click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText types no brackets of its own (the editor closes each `{` it sees typed).
  await page.keyboard.insertText(query);
  await page.getByRole('button', { name: /Execute query/ }).click();
  const response = page.locator('.graphiql-response');
  // The editor lays out spaces as no-break spaces.
  const text = () => response.innerText().then((shown) => shown.replace(/\s+/g, ' '), () => '');
  return until(text, (shown) => shown.includes(expected), 30_000);
}

test('a browser opening /graphql gets the bundled GraphiQL, which runs { __typename } with nothing fetched from elsewhere', async () => {
  const page = await portal().newPage();
  await page.goto('/graphql');
  expect(new URL(page.url()).pathname).toBe('/graphiql');
  await expect(run(page, '{ __typename }', '"Query"')).resolves.toContain('"__typename": "Query"');
  expect(portal().offsiteRequests).toEqual([]);
});

test("GraphiQL sends the portal session's token", async () => {
  const page = await portal().newPage();
  await signInAs(page, 'PCP');
  await page.goto('/graphiql');
  await page.getByText("Requests carry the portal session's token (PCP).").waitFor();
  await expect(run(page, '{ me { email } }', 'pcp@maple-fm.example')).resolves.toContain('"email": "pcp@maple-fm.example"');
  await saveScreenshot(page, 'graphiql');
  expect(portal().offsiteRequests).toEqual([]);
  expect(portal().pageErrors).toEqual([]);
});
