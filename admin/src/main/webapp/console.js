// The operators' pages: plain HTML and this script. Every call goes to the REST API with the
// signed-in user's access token (from session.json); the API checks each role again, the pages
// only hide what a role may not do.
'use strict';

const Console = {
  session: null,

  async start(page) {
    const r = await fetch('session.json', {cache: 'no-store'});
    this.session = await r.json();
    const nav = [['index.html', 'Messages'], ['dead.html', 'Dead letters'], ['dashboard.html', 'Dashboard'], ['audit.html', 'Audit trail']];
    const header = document.createElement('header');
    header.innerHTML = '<strong>Integration engine</strong>'
      + nav.map(([href, label]) => `<a href="${href}" class="${href === page ? 'here' : ''}">${label}</a>`).join('')
      + `<span class="who" id="who">${esc(this.session.user)} (${esc(this.session.roles.join(', '))})</span>`;
    document.body.prepend(header);
  },

  canAct() {
    return this.session.roles.includes('operator') || this.session.roles.includes('admin');
  },

  async api(path, options = {}) {
    const headers = Object.assign({Authorization: 'Bearer ' + this.session.accessToken}, options.headers || {});
    const r = await fetch(this.session.api + path, Object.assign({}, options, {headers}));
    if (r.status === 401) { location.reload(); throw new Error('signed out'); }
    return r;
  },

  async json(path) {
    const r = await this.api(path);
    if (!r.ok) throw new Error(path + ': ' + r.status + ' ' + await r.text());
    return r.json();
  },
};

function esc(v) {
  return v == null ? '' : String(v).replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
}

function query() {
  return new URLSearchParams(location.search);
}

// HL7v2 field names (v2.5) of the segments an engine sees most; others show their positions only.
const HL7_FIELDS = {
  MSH: ['Field Separator', 'Encoding Characters', 'Sending Application', 'Sending Facility', 'Receiving Application', 'Receiving Facility',
    'Date/Time of Message', 'Security', 'Message Type', 'Message Control ID', 'Processing ID', 'Version ID', 'Sequence Number',
    'Continuation Pointer', 'Accept Acknowledgment Type', 'Application Acknowledgment Type', 'Country Code', 'Character Set',
    'Principal Language of Message'],
  EVN: ['Event Type Code', 'Recorded Date/Time', 'Date/Time Planned Event', 'Event Reason Code', 'Operator ID', 'Event Occurred', 'Event Facility'],
  PID: ['Set ID', 'Patient ID', 'Patient Identifier List', 'Alternate Patient ID', 'Patient Name', "Mother's Maiden Name", 'Date/Time of Birth',
    'Administrative Sex', 'Patient Alias', 'Race', 'Patient Address', 'County Code', 'Phone Number - Home', 'Phone Number - Business',
    'Primary Language', 'Marital Status', 'Religion', 'Patient Account Number', 'SSN Number', "Driver's License Number",
    "Mother's Identifier", 'Ethnic Group', 'Birth Place', 'Multiple Birth Indicator', 'Birth Order', 'Citizenship',
    'Veterans Military Status', 'Nationality', 'Patient Death Date and Time', 'Patient Death Indicator'],
  PV1: ['Set ID', 'Patient Class', 'Assigned Patient Location', 'Admission Type', 'Preadmit Number', 'Prior Patient Location',
    'Attending Doctor', 'Referring Doctor', 'Consulting Doctor', 'Hospital Service', 'Temporary Location', 'Preadmit Test Indicator',
    'Re-admission Indicator', 'Admit Source', 'Ambulatory Status', 'VIP Indicator', 'Admitting Doctor', 'Patient Type', 'Visit Number',
    'Financial Class'],
  NK1: ['Set ID', 'Name', 'Relationship', 'Address', 'Phone Number', 'Business Phone Number', 'Contact Role', 'Start Date', 'End Date'],
  ORC: ['Order Control', 'Placer Order Number', 'Filler Order Number', 'Placer Group Number', 'Order Status', 'Response Flag',
    'Quantity/Timing', 'Parent', 'Date/Time of Transaction', 'Entered By', 'Verified By', 'Ordering Provider'],
  OBR: ['Set ID', 'Placer Order Number', 'Filler Order Number', 'Universal Service Identifier', 'Priority', 'Requested Date/Time',
    'Observation Date/Time', 'Observation End Date/Time', 'Collection Volume', 'Collector Identifier', 'Specimen Action Code',
    'Danger Code', 'Relevant Clinical Information', 'Specimen Received Date/Time', 'Specimen Source', 'Ordering Provider'],
  OBX: ['Set ID', 'Value Type', 'Observation Identifier', 'Observation Sub-ID', 'Observation Value', 'Units', 'References Range',
    'Abnormal Flags', 'Probability', 'Nature of Abnormal Test', 'Observation Result Status', 'Effective Date of Reference Range',
    'User Defined Access Checks', 'Date/Time of the Observation', "Producer's ID", 'Responsible Observer', 'Observation Method'],
  AL1: ['Set ID', 'Allergen Type Code', 'Allergen Code', 'Allergy Severity Code', 'Allergy Reaction Code', 'Identification Date'],
  DG1: ['Set ID', 'Diagnosis Coding Method', 'Diagnosis Code', 'Diagnosis Description', 'Diagnosis Date/Time', 'Diagnosis Type'],
  IN1: ['Set ID', 'Insurance Plan ID', 'Insurance Company ID', 'Insurance Company Name', 'Insurance Company Address'],
};

// ER7 as a table: one row per field that has a value, numbered as HL7 numbers them (MSH-1 is the separator).
function hl7Table(text) {
  const segments = text.split(/\r\n|\r|\n/).filter(s => s.length > 0);
  const fieldSep = segments.length && segments[0].startsWith('MSH') ? segments[0].charAt(3) : '|';
  let rows = '';
  for (const segment of segments) {
    const name = segment.substring(0, 3);
    const fields = segment.split(fieldSep);
    const names = HL7_FIELDS[name] || [];
    rows += `<tr><th colspan="3">${esc(name)}</th></tr>`;
    const values = name === 'MSH' ? [fieldSep].concat(fields.slice(1)) : fields.slice(1);
    values.forEach((value, i) => {
      if (value === '') return;
      rows += `<tr><td>${esc(name)}-${i + 1}</td><td class="name">${esc(names[i] || '')}</td><td>${esc(value)}</td></tr>`;
    });
  }
  return `<table class="seg"><tr><th>field</th><th>name</th><th>value</th></tr>${rows}</table>`;
}
