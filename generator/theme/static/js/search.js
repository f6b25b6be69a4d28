// Search with the Pagefind index that `newsdigest build` writes to pagefind/:
// one bundle per month (or quarter of a large month), listed newest first in
// pagefind/parts.json (generator/build/search.py). The newest is loaded and
// the others merged into it.
// The form submits to this page as ?q=...; results are built from text nodes
// only, so nothing in the index is ever parsed as markup into the page.
const form = document.querySelector(".search-form");
const input = document.getElementById("search-query");
const status = document.querySelector(".search-status");
const list = document.querySelector(".search-results");
const root = new URL(form.dataset.pagefindRoot, document.baseURI);

form.hidden = false;
const query = new URLSearchParams(location.search).get("q") || "";
input.value = query;
if (query.trim()) {
  search(query.trim());
}

async function search(text) {
  status.textContent = "Searching…";
  try {
    const pagefind = await loadIndex();
    const found = pagefind ? await pagefind.search(text) : { results: [] };
    const results = await Promise.all(found.results.slice(0, 20).map((result) => result.data()));
    list.replaceChildren(...results.map(resultItem));
    const count = found.results.length;
    status.textContent = count === 0 ? `No stories match “${text}”.` : `${count} ${count === 1 ? "story matches" : "stories match"} “${text}”.`;
  } catch (error) {
    status.textContent = "Search is not available: the search index could not be loaded.";
    console.error(error);
  }
}

// The merged index, or null when there are no stories yet.
async function loadIndex() {
  const listing = await fetch(new URL("pagefind/parts.json", root));
  if (!listing.ok) {
    throw new Error(`pagefind/parts.json: HTTP ${listing.status}`);
  }
  const [newest, ...older] = (await listing.json()).parts.map((part) => part.name);
  return newest === undefined ? null : mergeParts(newest, older);
}

async function mergeParts(newest, older) {
  const bundle = (name) => new URL(`pagefind/${name}/`, root);
  const pagefind = await import(new URL("pagefind.js", bundle(newest)).href);
  await pagefind.options({ baseUrl: root.pathname });
  await Promise.all(older.map((name) => pagefind.mergeIndex(bundle(name).pathname, { baseUrl: root.pathname })));
  return pagefind;
}

function resultItem(data) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.append(...excerptNodes(data.excerpt));
  item.append(heading, excerpt);
  return item;
}

// Pagefind marks matches with <mark>; keep those, and everything else as text.
function excerptNodes(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  return Array.from(parsed.body.childNodes, (node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent);
  });
}
