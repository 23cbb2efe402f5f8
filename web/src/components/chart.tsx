import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, SVGRenderer]);

export interface Series {
  name: string;
  kind: 'bar' | 'line';
  values: Array<number | null>;
}

/**
 * One ECharts chart of categories against series. Rates arrive as decimal strings and are parsed only
 * here, for drawing. `data-points` counts the plotted values, so a test can tell an empty chart apart.
 */
export function Chart(props: { id: string; title: string; categories: string[]; series: Series[]; percent?: boolean }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    chart.current = echarts.init(element.current!, undefined, { renderer: 'svg' });
    const resize = () => chart.current?.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.current?.dispose();
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        animation: false,
        title: { text: props.title, textStyle: { fontSize: 14 } },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' && props.percent ? `${(v * 100).toFixed(2)}%` : String(v)) },
        legend: { top: 24 },
        grid: { top: 64, left: 56, right: 16, bottom: 40 },
        // Few categories (channels, stages): show every label; many (days): let ECharts thin them out.
        xAxis: { type: 'category', data: props.categories, axisLabel: { interval: props.categories.length <= 12 ? 0 : 'auto' } },
        yAxis: { type: 'value', ...(props.percent ? { axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } } : {}) },
        series: props.series.map((s) => ({ name: s.name, type: s.kind, data: s.values })),
      },
      { notMerge: true },
    );
  }, [props.title, props.categories, props.series, props.percent]);

  const points = props.series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0);
  return <div className="chart" id={props.id} data-points={points} ref={element} />;
}
