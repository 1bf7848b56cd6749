//! The job page the benchmarks and `examples/stages.rs` score: ordinary posting text in several languages with a
//! few lure phrases, repeated to any size. Written for the benchmarks (no dataset text).

/// A job page of about `size` bytes: ordinary posting text in several languages, with a few lure phrases.
/// Written for the benchmark (no dataset text).
pub fn page(size: usize) -> String {
    const PARTS: &[&str] = &[
        "주요 업무: 고객 문의 응대 및 주문 관리, 사내 시스템 운영 지원. 자격 요건: 관련 학과 졸업, 엑셀 활용 가능자. ",
        "우대 사항: 유관 업무 경력 2년 이상. 근무 조건: 주 5일, 09:00~18:00, 4대보험, 퇴직금, 연차. ",
        "We are looking for a customer support specialist to join our Seoul office. Responsibilities include handling tickets. ",
        "Benefits: health insurance, paid leave, training budget. Apply through our careers page with your CV. ",
        "Mô tả công việc: hỗ trợ khách hàng, xử lý đơn hàng. Yêu cầu: tốt nghiệp cao đẳng trở lên. ",
        "Kualifikasi: pendidikan minimal D3, mampu bekerja dalam tim, menguasai Microsoft Office. ",
        "岗位职责：负责客户咨询与订单处理。任职要求：大专以上学历，熟练使用办公软件。",
        "募集要項：カスタマーサポート業務。応募資格：高卒以上、PCの基本操作ができる方。",
        "ตำแหน่งงาน: เจ้าหน้าที่บริการลูกค้า คุณสมบัติ: วุฒิปริญญาตรี มีความรับผิดชอบ ",
        "해외 근무 가능자 우대, 항공권 지원, 텔레그램으로 문의 주세요. 월 1,500만원 이상 가능. ",
    ];
    let mut s = String::with_capacity(size + 256);
    let mut i = 0;
    while s.len() < size {
        s.push_str(PARTS[i % PARTS.len()]);
        i += 1;
    }
    s
}
