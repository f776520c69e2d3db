// What Galaxy's login browser does with a NextStep, for the example's test and demo: open
// start_uri, submit the login form, and stop at the first URL matching end_uri_regex.

/** Logs in on the example backend's page; returns the end URI Galaxy would pass back. */
export async function logInInBrowser(startUri: string, endUriRegex: string): Promise<string> {
  const page = await fetch(startUri);
  const html = await page.text();
  if (!html.includes('<form method="post" action="login">')) {
    throw new Error(`no login form at ${startUri}`);
  }
  const response = await fetch(new URL("login", startUri), {
    method: "POST",
    body: new URLSearchParams({ user: "demo", password: "demo" }),
    redirect: "manual",
  });
  await response.body?.cancel();
  const endUri = new URL(response.headers.get("location") ?? "", startUri).href;
  if (!new RegExp(endUriRegex).test(endUri)) {
    throw new Error(`the login ended on ${endUri}, which does not match ${endUriRegex}`);
  }
  return endUri;
}
