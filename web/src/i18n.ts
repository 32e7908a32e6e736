import { createI18n } from 'vue-i18n';

const zh = {
  app: { title: '精准扶贫管理系统', short: '精准' },
  nav: { map: '挂图作战', households: '建档立卡户', import: '导入导出', quality: '数据质量', users: '用户管理' },
  login: { title: '登录', username: '用户名', password: '密码', submit: '登录', failed: '登录失败' },
  header: { logout: '退出', scope: '范围', language: 'English' },
  map: {
    goal: '目标：{year}年前 {target} 人脱贫', exited: '已脱贫', registered: '建档立卡', households: '户', persons: '人',
    byTownship: '各乡镇脱贫任务与进度', township: '乡镇', year: '年度', target: '任务', planned: '计划', exitedCol: '已脱贫',
    measures: '十项措施（四大战役）', battle: '战役', measure: '措施', owner: '牵头单位', targetHh: '目标户', targetPers: '目标人',
    assignedHh: '已落实户', assignedPers: '已落实人', causes: '致贫原因', attributes: '贫困户属性', overdue: '倒排工期：计划脱贫年度已过仍未脱贫',
    warnings: '核对提示', noWarnings: '计划与数据一致', villages: '行政村', back: '返回全县', asOf: '截至',
  },
  hh: {
    filters: '筛选', division: '行政区划', status: '脱贫状态', cause: '致贫原因', measure: '帮扶措施', attribute: '贫困户属性',
    q: '户编号、姓名或证件号码', search: '查询', reset: '重置', code: '户编号', head: '户主', id: '证件号码', persons: '人数',
    village: '行政村', plannedExit: '计划脱贫', exitYear: '脱贫年度', income: '人均纯收入', total: '共 {n} 户', empty: '没有符合条件的户',
    members: '家庭成员', name: '姓名', relation: '与户主关系', sex: '性别', birth: '出生日期', health: '健康状况', labour: '劳动能力',
    household: '户信息', mainCause: '主要致贫原因', otherCauses: '其他致贫原因', mainMeasure: '主要帮扶措施', auxMeasures: '辅助帮扶措施',
    cadre: '帮扶责任人', phone: '联系电话', living: '生产生活条件', water: '饮水安全', electricity: '通生活用电', danger: '危房', area: '住房面积',
    history: '变更记录', edit: '编辑', save: '保存', cancel: '取消', saved: '已保存', conflict: '自您打开以来，此户已被他人修改。',
    reload: '重新载入', identified: '识别年度', version: '版本', yes: '是', no: '否', notFound: '找不到这个户',
  },
  imp: { title: '导入', choose: '选择 CSV 或 .xlsx 文件', upload: '上传导入', summary: '导入结果', read: '读取', inserted: '新增', updated: '更新', unchanged: '未变', rejected: '拒绝', errors: '下载错误文件', export: '导出当前范围', csv: 'CSV', xlsx: 'Excel' },
  quality: { check: '数据质量检查', reconcile: '任务与数据核对', rule: '规则', severity: '严重程度', message: '说明', none: '没有发现问题', forbidden: '您的角色不能查看数据质量检查' },
  users: { title: '用户', add: '添加用户', role: '角色', scope: '范围', disabled: '已停用', enabled: '启用', disable: '停用', enable: '启用', password: '初始密码', save: '保存' },
  common: { loading: '加载中…', error: '出错了', retry: '重试', all: '全部', page: '页' },
};

const en: typeof zh = {
  app: { title: 'Targeted Poverty Alleviation', short: 'Jingzhun' },
  nav: { map: 'Battle map', households: 'Registry', import: 'Import / export', quality: 'Data quality', users: 'Users' },
  login: { title: 'Log in', username: 'Username', password: 'Password', submit: 'Log in', failed: 'Login failed' },
  header: { logout: 'Log out', scope: 'Scope', language: '中文' },
  map: {
    goal: 'Goal: {target} people out of poverty by {year}', exited: 'Exited', registered: 'Registered', households: 'households', persons: 'persons',
    byTownship: 'Townships: targets and progress', township: 'Township', year: 'Year', target: 'Target', planned: 'Planned', exitedCol: 'Exited',
    measures: 'The ten measures (four battles)', battle: 'Battle', measure: 'Measure', owner: 'Lead unit', targetHh: 'Target hh', targetPers: 'Target persons',
    assignedHh: 'Assigned hh', assignedPers: 'Assigned persons', causes: 'Causes of poverty', attributes: 'Attributes', overdue: 'Overdue: planned exit year passed, not exited',
    warnings: 'Reconciliation', noWarnings: 'Plan and registry agree', villages: 'Villages', back: 'Back to the county', asOf: 'as of',
  },
  hh: {
    filters: 'Filters', division: 'Org unit', status: 'Status', cause: 'Cause', measure: 'Measure', attribute: 'Attribute',
    q: 'Household code, name or ID number', search: 'Search', reset: 'Reset', code: 'Household', head: 'Head', id: 'ID number', persons: 'Persons',
    village: 'Village', plannedExit: 'Planned exit', exitYear: 'Exit year', income: 'Income per head', total: '{n} households', empty: 'No household matches',
    members: 'Members', name: 'Name', relation: 'Relation', sex: 'Sex', birth: 'Birth date', health: 'Health', labour: 'Labour',
    household: 'Household', mainCause: 'Main cause', otherCauses: 'Other causes', mainMeasure: 'Main measure', auxMeasures: 'Auxiliary measures',
    cadre: 'Pairing cadre', phone: 'Phone', living: 'Living conditions', water: 'Safe water', electricity: 'Electricity', danger: 'Dangerous housing', area: 'Housing area',
    history: 'Change history', edit: 'Edit', save: 'Save', cancel: 'Cancel', saved: 'Saved', conflict: 'Someone changed this household since you opened it.',
    reload: 'Reload', identified: 'Identified', version: 'Version', yes: 'yes', no: 'no', notFound: 'No such household',
  },
  imp: { title: 'Import', choose: 'Choose a CSV or .xlsx file', upload: 'Upload and import', summary: 'Result', read: 'Read', inserted: 'Inserted', updated: 'Updated', unchanged: 'Unchanged', rejected: 'Rejected', errors: 'Download the error file', export: 'Export my scope', csv: 'CSV', xlsx: 'Excel' },
  quality: { check: 'Data-quality check', reconcile: 'Reconciliation', rule: 'Rule', severity: 'Severity', message: 'Message', none: 'No findings', forbidden: 'Your role cannot see the data-quality check' },
  users: { title: 'Users', add: 'Add user', role: 'Role', scope: 'Scope', disabled: 'Disabled', enabled: 'Enabled', disable: 'Disable', enable: 'Enable', password: 'Initial password', save: 'Save' },
  common: { loading: 'Loading…', error: 'Error', retry: 'Retry', all: 'All', page: 'page' },
};

export const i18n = createI18n({
  legacy: false,
  locale: localStorage.getItem('jz.locale') ?? 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zh, en },
});
