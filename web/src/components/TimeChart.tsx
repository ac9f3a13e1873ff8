import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  /** Index into the chart palette (CSS variables --chart-1 … --chart-8). */
  readonly color: number;
  readonly dash?: readonly number[];
  readonly points?: boolean;
}

/** A theme colour as the canvas needs it: the variable resolved (light-dark() included) to rgb(). */
function themeColor(element: HTMLElement, variable: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${variable})`;
  element.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color;
}

/** Counts theme changes (the system's, or the one chosen in the account menu): canvases must redraw. */
function useThemeChanges(): number {
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    const bump = () => setChanges((value) => value + 1);
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', bump);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      media.removeEventListener('change', bump);
      observer.disconnect();
    };
  }, []);
  return changes;
}

/**
 * A time-series chart (uPlot on a canvas: thousands of points stay fast). Colours come from the
 * theme's CSS variables; the caption and the tables next to every chart carry the same numbers
 * for screen readers.
 */
export function TimeChart({
  title,
  summary,
  times,
  series,
  height = 220,
  yRange,
}: {
  readonly title: string;
  /** What the chart shows, in words, for assistive technology. */
  readonly summary: string;
  /** Milliseconds since the epoch. */
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  readonly height?: number;
  readonly yRange?: readonly [number, number];
}) {
  const box = useRef<HTMLDivElement>(null);
  const theme = useThemeChanges();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `theme` is not read, but a new theme needs new colours.
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const axis = themeColor(element, '--text-muted');
    const grid = themeColor(element, '--border');
    const axisStyle = { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const plot = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height,
        ms: 1,
        series: [
          {},
          ...series.map((entry) => {
            const stroke = themeColor(element, `--chart-${(entry.color % 8) + 1}`);
            return {
              label: entry.label,
              stroke,
              width: 2,
              ...(entry.dash ? { dash: [...entry.dash] } : {}),
              points: { show: entry.points ?? times.length < 60, size: 5, fill: stroke },
              spanGaps: false,
            };
          }),
        ],
        axes: [axisStyle, { ...axisStyle, size: 56 }],
        scales: yRange ? { y: { range: [yRange[0], yRange[1]] } } : {},
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
      },
      [[...times], ...series.map((entry) => [...entry.values])] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [times, series, height, yRange, theme]);
  return (
    <figure className="chart">
      <figcaption className="chart-title">{title}</figcaption>
      <div ref={box} className="chart-canvas" role="img" aria-label={`${title}. ${summary}`} />
    </figure>
  );
}
