/**
 * A small client of the disclosure API, as a WeChat page or a lobby screen would use it.
 * The types come from the OpenAPI documents (`npm run generate`); `npm run check` type-checks
 * this file against them, so a change to the API that breaks a client breaks CI.
 */
import createClient from "openapi-fetch";

import type { components, paths } from "./disclosure-api";
import type { paths as pagesPaths } from "./pages-api";

type Item = components["schemas"]["Item"];
type Status = components["schemas"]["Standing"]["status"];
type Publication = components["schemas"]["Publication"];

export function disclosureClient(baseUrl: string, token?: string) {
  return createClient<paths>({
    baseUrl,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}

const STATUS_COLOURS: Record<Status, string> = {
  on_time: "green",
  due_soon: "orange",
  overdue: "red",
  missing: "red",
  no_schedule: "grey",
};

/** Every overdue item of an institution, following the pages of the list. */
export async function overdueItems(
  client: ReturnType<typeof disclosureClient>,
  institution: number,
): Promise<Item[]> {
  const found: Item[] = [];
  let offset = 0;
  for (;;) {
    const { data, error } = await client.GET("/api/disclosure/v1/items/", {
      params: { query: { institution, status: "overdue", limit: 100, offset } },
    });
    if (error) {
      // A problem document: {type, title, status, detail, errors?}.
      throw new Error(`${error.status}: ${error.detail}`);
    }
    found.push(...data.items);
    if (data.next === null) return found;
    offset += data.limit;
  }
}

/** A lobby-screen line for an item: its title, its standing and when it is next due. */
export function standingLine(item: Item): { text: string; colour: string } {
  const due = item.standing.next_due ?? "—";
  return {
    text: `${item.title}（${item.department?.name ?? ""}）${item.standing.status_label}，下次更新截止 ${due}`,
    colour: STATUS_COLOURS[item.standing.status],
  };
}

/** The latest procurement notices with their budget, for a WeChat page. */
export async function latestProcurement(
  client: ReturnType<typeof disclosureClient>,
): Promise<{ title: string; budget: string | null }[]> {
  const list = await client.GET("/api/disclosure/v1/publications/", {
    params: { query: { kind: "procurement", limit: 5 } },
  });
  if (list.error) throw new Error(list.error.detail);
  const notices = await Promise.all(
    list.data.items.map((publication: Publication) =>
      client.GET("/api/disclosure/v1/publications/{publication_id}/", {
        params: { path: { publication_id: publication.id } },
      }),
    ),
  );
  return notices.flatMap(({ data }) =>
    data ? [{ title: data.title, budget: data.procurement?.budget ?? null }] : [],
  );
}

/** The same item's page through Wagtail's v3 pages API, with the typed catalog fields. */
export async function itemPage(baseUrl: string, id: number) {
  const pages = createClient<pagesPaths>({ baseUrl });
  const { data } = await pages.GET("/api/v3/pages/{page_id}/", {
    params: { path: { page_id: id } },
  });
  // The answer is a union of every page type; a catalog item is the one with channels.
  if (data && "channels" in data) {
    const channels: string[] = data.channels ?? [];
    return { title: data.title, type: data.meta.type, channels };
  }
  return null;
}
