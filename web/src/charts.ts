// ECharts, tree-shaken: the core, only the charts and components the workbench draws, and the
// canvas renderer. Import echarts only through this module, and lazily (`await import('./charts')`),
// so pages without charts never load it.
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
export type ECharts = echarts.ECharts;
