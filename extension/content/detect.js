// Is this a job page? Cheap checks only: known job boards and classifieds, schema.org JobPosting, job words in
// the title and headings (Korean, English, Chinese, Vietnamese, Thai, Indonesian, Japanese), job-like paths.
(function (JG) {
  // host suffix -> optional path test (null: the whole site).
  const BOARDS = [
    ['saramin.co.kr', null], ['jobkorea.co.kr', null], ['albamon.com', null], ['alba.co.kr', null],
    ['work.go.kr', null], ['work24.go.kr', null], ['incruit.com', null], ['jobplanet.co.kr', null],
    ['wanted.co.kr', null], ['catch.co.kr', null], ['peoplenjob.com', null], ['daangn.com', null],
    ['karrotmarket.com', null], ['linkedin.com', /^\/jobs/], ['indeed.com', null], ['indeed.co.jp', null],
    ['indeed.co.kr', null], ['jobstreet.com', null], ['jobstreet.co.id', null], ['jobstreet.vn', null],
    ['glints.com', null], ['vietnamworks.com', null], ['topcv.vn', null], ['careerviet.vn', null],
    ['51job.com', null], ['zhaopin.com', null], ['liepin.com', null], ['zhipin.com', null], ['104.com.tw', null],
    ['1111.com.tw', null], ['jobsdb.com', null], ['jobthai.com', null], ['jobbkk.com', null],
    ['rikunabi.com', null], ['mynavi.jp', null], ['doda.jp', null], ['townwork.net', null], ['baitoru.com', null],
    ['jobstreet.com.my', null], ['kalibrr.com', null], ['karir.com', null], ['loker.id', null],
    ['glassdoor.com', null], ['monster.com', null], ['ziprecruiter.com', null], ['seek.com.au', null],
    ['craigslist.org', null], ['facebook.com', /^\/(jobs|groups|marketplace)/], ['m.facebook.com', /^\/(jobs|groups)/],
    ['t.me', null], ['band.us', null], ['cafe.naver.com', null], ['blog.naver.com', null],
  ];
  const WORDS = new RegExp(
    [
      '\\b(jobs?|hiring|vacanc(y|ies)|careers?|recruit(ing|ment|er)?|apply now|work from home|remote work|' +
        'salary|part[- ]time|full[- ]time|positions? available|job opening|we are looking for)\\b',
      '채용|구인|모집|알바|아르바이트|구직|일자리|고수익|급구|인재|직원|상담원|근무지',
      '招聘|诚聘|招工|求职|职位|高薪|兼职|徵才|職缺|職位|誠聘|求才',
      'tuyển dụng|việc làm|tuyển gấp|lương',
      'รับสมัคร|สมัครงาน|ตำแหน่งงาน|หางาน|เงินเดือน',
      'lowongan|loker|gaji|dibutuhkan|rekrutmen',
      '求人|募集|採用|アルバイト|バイト|転職|正社員',
    ].join('|'),
    'i',
  );
  const PATH = /(^|[/_-])(jobs?|careers?|recruit|vacanc|hiring|employment|gig)/i;

  function onBoard(host, path) {
    const h = host.replace(/^www\./, '');
    return BOARDS.some(([suffix, pathTest]) => (h === suffix || h.endsWith(`.${suffix}`)) && (!pathTest || pathTest.test(path)));
  }

  function hasJobPosting() {
    for (const s of document.querySelectorAll('script[type="application/ld+json"]')) {
      if ((s.textContent || '').includes('JobPosting')) return true;
    }
    return false;
  }

  function headingWords() {
    if (WORDS.test(document.title)) return true;
    const hs = document.querySelectorAll('h1, h2');
    for (let i = 0; i < hs.length && i < 12; i++) if (WORDS.test((hs[i].textContent || '').slice(0, 300))) return true;
    return false;
  }

  /**
   * For a frame inside a page (some boards, Saramin and JobKorea among them, show the posting's body in an
   * iframe): only a frame of a known board or one carrying a JobPosting, and big enough to be read; never an
   * advertising frame that merely mentions jobs.
   */
  JG.isJobFrame = function isJobFrame() {
    if (innerWidth < 250 || innerHeight < 150) return false;
    return onBoard(location.hostname, location.pathname) || hasJobPosting();
  };

  /** True when the page looks like a job ad or a job list (scope "job-pages"). */
  JG.isJobPage = function isJobPage() {
    return onBoard(location.hostname, location.pathname) || hasJobPosting() || PATH.test(location.pathname) || headingWords();
  };
})(globalThis.__jobguard);
