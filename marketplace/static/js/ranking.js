// Ranking by moving: "Move up" and "Move down" buttons beside each item of a ranked list. A move
// renumbers the list's number fields from the list's first number, so what is sent is what the
// person sees. Without JavaScript the number fields work on their own.
document.querySelectorAll("[data-rank-list]").forEach((list) => {
  const first = Number(list.dataset.rankStart || "1");
  const items = () => Array.from(list.querySelectorAll(":scope > [data-rank-item]"));
  const renumber = () => {
    items().forEach((item, index) => {
      item.querySelector("input[name^='rank-']").value = String(first + index);
    });
  };
  const button = (label, onPress) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "btn btn-sm btn-outline-secondary";
    element.textContent = label;
    element.addEventListener("click", onPress);
    return element;
  };
  items().forEach((item) => {
    const controls = document.createElement("div");
    controls.className = "d-flex gap-2 mt-2";
    const up = button(list.dataset.moveUp, () => {
      const previous = item.previousElementSibling;
      if (previous) {
        list.insertBefore(item, previous);
        renumber();
        up.focus();
      }
    });
    const down = button(list.dataset.moveDown, () => {
      const next = item.nextElementSibling;
      if (next) {
        list.insertBefore(next, item);
        renumber();
        down.focus();
      }
    });
    controls.append(up, down);
    item.querySelector("[data-rank-controls]").append(controls);
  });
});
