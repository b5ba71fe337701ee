/** A horizontal bar chart in text: one row per item, bars scaled to the largest value. */
export function renderBarChart(items: { label: string; value: number; text: string }[], width = 30): string {
  const max = Math.max(1, ...items.map((i) => i.value));
  const labelWidth = Math.max(...items.map((i) => i.label.length));
  return (
    items
      .map((i) => {
        const cells = i.value <= 0 ? 0 : Math.max(1, Math.round((i.value / max) * width));
        return `  ${i.label.padEnd(labelWidth)}  ${"█".repeat(cells).padEnd(width)}  ${i.text}`;
      })
      .join("\n") + "\n"
  );
}
